import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, describeError, type FieldProblem } from '../api.js';

/** How long typing pauses before the API checks the draft. */
const validateAfterMs = 250;

/**
 * The API's problems with a JSON text, as it is typed: not JSON, or what the validation route
 * answers (a refusal with field problems, such as a body nested too deep, counts as problems).
 */
export function useValidation(text: string, route: string) {
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [checking, setChecking] = useState(true);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    // nothing to check while the document is still being read
    if (text === '') return;
    setChecking(true);
    let live = true;
    const timer = setTimeout(() => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        setProblems([
          {
            code: 'not_json',
            path: '',
            message: `Not JSON: ${error instanceof Error ? error.message : String(error)}`,
          },
        ]);
        setChecking(false);
        return;
      }
      api<{ problems: FieldProblem[] }>('POST', route, body)
        .then((answer) => {
          if (!live) return;
          setProblems(answer.problems);
          setErrors([]);
        })
        .catch((error: unknown) => {
          if (!live) return;
          if (error instanceof ApiError && error.problem.errors?.length) setProblems(error.problem.errors);
          else setErrors(describeError(error));
        })
        .finally(() => live && setChecking(false));
    }, validateAfterMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, route]);
  return { problems, checking, errors };
}
