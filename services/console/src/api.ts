/** The console speaks only the public REST API, with the API key kept in this tab's session storage. */
const keyName = 'canvas-console-api-key';

export interface FieldProblem {
  code: string;
  path: string;
  message: string;
}

export interface Problem {
  code: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
}

export const session = {
  key: () => sessionStorage.getItem(keyName),
  signIn: (key: string) => sessionStorage.setItem(keyName, key),
  signOut: () => sessionStorage.removeItem(keyName),
};

export async function api<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${key ?? ''}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(json as Problem);
  return json as T;
}

/** A problem in words: the detail, then each field problem with where it is. */
export function describeError(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [error instanceof Error ? error.message : String(error)];
  const { problem } = error;
  return [problem.detail ?? problem.title, ...(problem.errors ?? []).map((e) => `${e.message} (${e.path})`)];
}
