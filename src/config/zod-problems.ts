import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { describeValue, type Problem } from './problem.js';

/** The accepted keys, as `strict()` in schema-kit.ts words the message. */
const ACCEPTED = /\(accepted: ([^)]*)\)/;

/**
 * Turns zod issues into problems: one per unknown key (path + key), custom messages as written by
 * our field parsers, and a readable fallback for anything else. Pure.
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      const accepted = ACCEPTED.exec(issue.message)?.[1]?.split(', ') ?? [];
      return issue.keys.map((key) => {
        const guess = didYouMean(key, accepted);
        const message = guess === undefined ? issue.message : `${issue.message}; did you mean ${guess}?`;
        return { path: [...issue.path, key], message };
      });
    }
    if (issue.code === 'invalid_union') return problemsFromIssues(issue.errors.flat());
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path: issue.path, message: `required: expected ${issue.expected}` }];
    }
    if (issue.code === 'invalid_type' && !issue.message.startsWith('expected ')) {
      return [{ path: issue.path, message: `expected ${issue.expected}, got ${describeValue(issue.input)}` }];
    }
    return [{ path: issue.path, message: issue.message }];
  });
}
