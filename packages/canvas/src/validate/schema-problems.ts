import type { z } from 'zod';
import { pointer, type Problem, type ProblemCode } from './problem.js';

function codeFor(issue: z.core.$ZodIssue): ProblemCode {
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message) ? 'required' : 'invalid_type';
    case 'too_big':
      return issue.origin === 'string' ? 'too_long' : 'too_many';
    case 'too_small':
      return 'too_short';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_value':
      return issue.path.includes('matchKeys') ? 'unknown_match_key' : 'invalid_value';
    case 'custom':
      return (issue.params as { problem?: ProblemCode } | undefined)?.problem ?? 'invalid_value';
    default:
      return 'invalid_value';
  }
}

/** One zod issue as problems under `prefix`; unions report their closest alternative, however deep. */
function issueProblems(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): Problem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => ({
      code: 'unknown_field',
      path: pointer([...path, key]),
      message: `"${key}" is not a known field`,
    }));
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // report the closest alternative rather than "no union member matched"
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    if (best.length > 0) return best.flatMap((inner) => issueProblems(inner, path));
  }
  return [{ code: codeFor(issue), path: pointer(path), message: issue.message }];
}

/** zod's issues as problems with JSON Pointers; unknown keys get a pointer each. */
export function schemaProblems(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) => issueProblems(issue, []));
}
