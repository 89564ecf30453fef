import { z } from 'zod';
import { ENV_NAME } from './fields.js';
import { describeValue } from './problem.js';

const NAME_RULE = 'invalid variable name: use letters, digits and _, not starting with a digit';
const PORT_RULE = 'PORT is set by wandol (the port your app must listen on); remove it';

/**
 * `env`: a mapping of variable names to values. Numbers and booleans are accepted and turned into
 * strings (Kubernetes would refuse them unquoted; wandol is friendlier); an empty value is "".
 */
export const envField = () =>
  z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        const message = `expected a mapping of NAME: value, got ${describeValue(value)}`;
        ctx.issues.push({ code: 'custom', message, input: value });
        return z.NEVER;
      }
      const env: Record<string, string> = {};
      let bad = false;
      for (const [key, raw] of Object.entries(value)) {
        const problem = key === 'PORT' ? PORT_RULE : ENV_NAME.test(key) ? envValueProblem(raw) : NAME_RULE;
        if (problem !== undefined) {
          bad = true;
          ctx.issues.push({ code: 'custom', message: problem, path: [key], input: raw });
        } else env[key] = raw === null ? '' : String(raw);
      }
      return bad ? z.NEVER : env;
    });

function envValueProblem(raw: unknown): string | undefined {
  if (raw === null || ['string', 'number', 'boolean'].includes(typeof raw)) return undefined;
  return `expected a string, number or boolean, got ${describeValue(raw)}`;
}
