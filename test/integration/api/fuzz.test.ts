import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

interface Parameter {
  name: string;
  in: 'path' | 'query';
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
}
interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query: string[];
  example: unknown;
  hasBody: boolean;
}

/** Every generated string carries it, so a log line that quotes request values is easy to find. */
const marker = 'Zq9fuzz';

const hostileString = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(`${marker}\u0000`, `\ud800${marker}`, `${marker}\udfff`) },
  fc.constantFrom(
    '\u0000',
    `${marker}\u0000x`,
    '\ud800',
    `${marker}\udc00tail`,
    `a\ud83d`,
    '',
    ' ',
    '../../etc/passwd',
    '%',
    '%00',
    '\u202e',
    '😀',
    'null',
    '1e309',
    `${marker}${'x'.repeat(5000)}`,
    `${marker}'; DROP TABLE canvases; --`,
    '<img src=x onerror=alert(1)>',
    'act_',
    'act_1',
    '-1',
    '2147483648',
  ),
  fc.string({ maxLength: 40 }).map((s) => `${marker}${s}`),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${marker}${s}`),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(1e12, -1, 0, 2 ** 31, 2 ** 53, 1.5, -0, 1e308),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', `${marker}\u0000`, '\ud800', ''),
  fc.string({ maxLength: 12 }),
);
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 3 }),
  ),
}));

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD, as in any real client). */
const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
/** Raw, possibly broken percent sequences a client may send as they are. */
const rawSegment = fc.constantFrom(
  '%',
  '%zz',
  '%ED%A0%80',
  '%00',
  '%C0%AF',
  '%FF%FE',
  '..%2F..',
  'a'.repeat(150),
  '%E2%82',
);

/** Every path into a JSON value: leaves, arrays and objects alike. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
  if (typeof value === 'object' && value !== null)
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return here;
}

function replaceAt(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return next;
  if (Array.isArray(value)) return (value as unknown[]).map((v, i) => (i === head ? replaceAt(v, rest, next) : v));
  if (typeof value === 'object' && value !== null)
    return { ...value, [head]: replaceAt((value as Record<string | number, unknown>)[head], rest, next) };
  return value;
}

/** The operation's example with one part (a leaf, a list, an object, or the whole) made hostile. */
function mutate(example: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(example);
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...paths),
          fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: hostileValue }),
        )
        .map(([path, v]) => replaceAt(example, path, v)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), hostileKey, hostileValue)
        .map(([path, key, v]) => replaceAt(example, [...path, key], v)),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

describe('hostile input to every operation', () => {
  let h: ApiHarness;
  let endpoints: Endpoint[];
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startApiHarness();
    const { accountId, token } = h.sandboxAccount();
    const account = await h.call('POST', '/v1/ad-accounts', {
      adAccountId: `act_${accountId}`,
      accessToken: token,
      makeDefault: true,
    });
    const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const canvas = await h.call(
      'POST',
      '/v1/canvases',
      document.paths['/v1/canvases']!.post!.requestBody!.content['application/json']!.example,
    );
    const segment = await h.call(
      'POST',
      '/v1/segments',
      document.paths['/v1/segments']!.post!.requestBody!.content['application/json']!.example,
    );
    // the harness's own API key id stays out: revoking it would turn every later answer into 401
    ids.push(account.json<{ id: string }>().id, canvas.json<{ id: string }>().id, segment.json<{ id: string }>().id);
    endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase() as Endpoint['method'],
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        example: op.requestBody?.content['application/json']?.example,
        hasBody: op.requestBody !== undefined,
      })),
    );
  });
  afterAll(async () => h.close());

  it(
    'answers generated strings, numbers and shapes in paths, queries and bodies ' +
      'without a 5xx, always as problem+json, and logs none of them',
    async () => {
      expect(endpoints).toHaveLength(54);
      const pathValue = fc.oneof(
        fc.constantFrom(...ids, randomUUID(), '1', '0', '-1', '2147483648', '1000000000000', 'fb', 'wait'),
        hostileString.map(encode),
        rawSegment,
      );
      const query = (names: string[]) =>
        fc
          .array(
            fc.tuple(
              fc.oneof(fc.constantFrom(...names, 'extra'), hostileKey.map(encode)),
              fc.oneof(hostileString.map(encode), hostileNumber.map(String), rawSegment),
            ),
            { maxLength: 3 },
          )
          .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
      const request = fc.constantFrom(...endpoints).chain((endpoint) =>
        fc.record({
          endpoint: fc.constant(endpoint),
          params: fc.array(pathValue, { minLength: 4, maxLength: 4 }),
          query: query(endpoint.query),
          body: endpoint.hasBody
            ? fc.oneof(
                mutate(endpoint.example).map((b) => JSON.stringify(b)),
                fc.constantFrom('{', '[1,', '"\\ud800"', '{"a":"\\u0000"}', 'null', ''),
              )
            : fc.option(
                hostileValue.map((b) => JSON.stringify(b)),
                { nil: undefined },
              ),
        }),
      );

      await fc.assert(
        fc.asyncProperty(request, async ({ endpoint, params, query: search, body }) => {
          let i = 0;
          const path = endpoint.path.replace(/\{[^}]+\}/g, () => params[i++] ?? 'x');
          const response = await h.app.inject({
            method: endpoint.method,
            url: search ? `${path}?${search}` : path,
            headers: {
              authorization: `Bearer ${h.apiKey}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { payload: body }),
          });
          const where =
            `${endpoint.method} ${path}?${search} ${String(body).slice(0, 200)}` +
            ` → ${response.statusCode} ${response.body.slice(0, 300)}`;
          if (response.statusCode >= 500) throw new Error(`server error: ${where}`);
          if (response.statusCode >= 400) {
            if (!String(response.headers['content-type']).startsWith('application/problem+json'))
              throw new Error(`not problem+json: ${where}`);
            const problem = response.json<{ status: number; code: string }>();
            if (problem.status !== response.statusCode || typeof problem.code !== 'string')
              throw new Error(`malformed problem: ${where}`);
          }
        }),
        {
          numRuns: Number(process.env.FUZZ_RUNS ?? 1500),
          seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000),
          verbose: 1,
        },
      );

      expect(h.logs.filter((line) => line.includes(marker))).toEqual([]);
      expect(h.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    },
  );

  it(
    'answers every body of every operation nested 50,000 deep, whole or at any one ' + 'field, with 400 BODY_TOO_DEEP',
    async () => {
      const levels = 50_000;
      // written as text: JSON.stringify of such a value would itself overflow the stack
      const deep = [
        '['.repeat(levels) + ']'.repeat(levels),
        '{"a":'.repeat(levels) + '1' + '}'.repeat(levels),
        '[{"a":'.repeat(levels / 2) + 'null' + '}]'.repeat(levels / 2),
      ];
      const placeholder = `${marker}-deep`;
      const failures: string[] = [];
      for (const endpoint of endpoints) {
        const path = endpoint.path.replace(/\{[^}]+\}/g, ids[1]!);
        const embedded = endpoint.hasBody
          ? pathsOf(endpoint.example).map((at) => JSON.stringify(replaceAt(endpoint.example, at, placeholder)))
          : [];
        for (const body of [
          ...deep,
          ...embedded.flatMap((text) => deep.map((d) => text.replace(`"${placeholder}"`, d))),
        ]) {
          const response = await h.app.inject({
            method: endpoint.method,
            url: path,
            headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
            payload: body,
          });
          if (response.statusCode >= 500 || (endpoint.hasBody && response.statusCode !== 400))
            failures.push(`${endpoint.method} ${endpoint.path} ${body.slice(0, 80)} → ${response.statusCode}`);
          else if (endpoint.hasBody) expect(response.json()).toMatchObject({ code: 'BODY_TOO_DEEP' });
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it.each([
    [
      'a NUL in a canvas name',
      'POST',
      '/v1/canvases/validate',
      (b: Record<string, unknown>) => ({ ...b, name: 'Cart\u0000' }),
      '/body/name',
    ],
    [
      'an unpaired surrogate in a filter value',
      'POST',
      '/v1/canvases',
      (b: Record<string, unknown>) => ({
        ...b,
        entry: { trigger: { event: 'e' }, filters: [{ field: 'city', op: 'eq', value: 'Par\ud800is' }] },
      }),
      '/body/entry/filters/0/value',
    ],
  ] as const)('refuses %s with 400 and the field pointer', async (_name, method, url, change, path) => {
    const document = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const example = document.paths['/v1/canvases']!.post!.requestBody!.content['application/json']!.example as Record<
      string,
      unknown
    >;
    const response = await h.call(method, url, change(example));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ code: 'unstorable_text', path }] });
  });

  it(
    'answers the fuzz findings precisely: an over-long path parameter, an ' +
      'out-of-range version, a non-Latin-1 token',
    async () => {
      const long = await h.call('GET', `/v1/canvases/${ids[1]}/steps/fb/users/${'u'.repeat(300)}`);
      expect([long.statusCode, long.headers['content-type']]).toEqual([414, 'application/problem+json; charset=utf-8']);
      const version = await h.call('GET', `/v1/canvases/${ids[1]}/analytics?version=1000000000000`);
      expect(version.statusCode).toBe(400);
      expect(version.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/query/version' }] });
      const token = await h.call('PUT', `/v1/ad-accounts/${ids[0]}/token`, { accessToken: 'EAAB-жетон-ключ-0001' });
      expect(token.statusCode).toBe(400);
      expect(token.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '/body/accessToken' }] });
    },
  );
});
