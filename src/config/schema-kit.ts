import { z } from 'zod';
import { describeValue } from './problem.js';

/** Parses one raw YAML value into T, or returns undefined when the value is not acceptable. */
export type LeafParser<T> = (value: unknown) => T | undefined;

/**
 * A scalar field: `expected` describes what is accepted ("a port number 1-65535"); a bad value
 * gives `expected <expected>, got <value>`. Absent → `fallback` (undefined unless given).
 */
export function leaf<T>(expected: string, parse: LeafParser<T>): z.ZodType<T | undefined, unknown>;
export function leaf<T>(expected: string, parse: LeafParser<T>, fallback: T): z.ZodType<T, unknown>;
export function leaf<T>(expected: string, parse: LeafParser<T>, fallback?: T): z.ZodType<T | undefined> {
  return z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const parsed = parse(value);
      if (parsed !== undefined) return parsed;
      ctx.issues.push({
        code: 'custom',
        message: `expected ${expected}, got ${describeValue(value)}`,
        input: value,
      });
      return z.NEVER;
    });
}

/** A scalar field that must be present: absent → `required: expected <expected>`. */
export function requiredLeaf<T>(expected: string, parse: LeafParser<T>): z.ZodType<T, unknown> {
  return z
    .unknown()
    .optional()
    .transform((value, ctx) => {
      const parsed = value === undefined ? undefined : parse(value);
      if (parsed !== undefined) return parsed;
      const message =
        value === undefined
          ? `required: expected ${expected}`
          : `expected ${expected}, got ${describeValue(value)}`;
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    });
}

/** A mapping that refuses unknown keys, naming the accepted ones. */
export function strict<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const accepted = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown key (accepted: ${accepted})`;
      if (issue.code === 'invalid_type')
        return `expected a mapping (keys: ${accepted}), got ${describeValue(issue.input)}`;
      return undefined;
    },
  });
}

/** A list of `item`s; anything else → `expected a list, got ...`. */
export function list<T extends z.ZodType>(item: T): z.ZodArray<T> {
  return z.array(item, {
    error: (issue) =>
      issue.code === 'invalid_type' ? `expected a list, got ${describeValue(issue.input)}` : undefined,
  });
}

/** One of fixed strings: `expected one of "a", "b", got "c"`. */
export function oneOf<const V extends string>(values: readonly V[]): LeafParser<V> {
  return (value) => (values.includes(value as V) ? (value as V) : undefined);
}

/** Describes `oneOf(values)` for messages: `one of "a", "b"`. */
export function oneOfText(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): LeafParser<number> {
  return (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : undefined;
}

/** A finite number in [min, max]; `exclusiveMin` refuses `min` itself. */
export function numberIn(min: number, max: number, exclusiveMin = false): LeafParser<number> {
  return (value) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value <= max &&
    (exclusiveMin ? value > min : value >= min)
      ? value
      : undefined;
}

/** A string matching `pattern` (non-empty), trimmed of surrounding white space. */
export function text(pattern = /\S/): LeafParser<string> {
  return (value) => (typeof value === 'string' && pattern.test(value.trim()) ? value.trim() : undefined);
}

/** An optional mapping whose absence means `{}` (so its fields' own defaults apply). */
export function orEmpty<T extends z.ZodObject>(schema: T): z.ZodPrefault<T> {
  // Leaves accept anything as input, so `{}` is a valid input even if the type says otherwise.
  return schema.prefault({} as z.input<T>);
}
