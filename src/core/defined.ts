/**
 * `obj` without its undefined properties, typed as optional: what exactOptionalPropertyTypes asks
 * for when optional fields are filled from values that may be undefined. Pure.
 */
export function defined<T extends object>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as never;
}
