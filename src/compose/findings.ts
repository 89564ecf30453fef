/** What translating one service found, besides the spec: remarks, and what it had to leave out. */
export interface Findings {
  /** Translated, with something the user should know or do (set a secret, commit a Dockerfile). */
  notes: string[];
  /** Could not be translated: `<key>: <why / what to do instead>`. */
  untranslated: string[];
}

/** An empty Findings. */
export function findings(): Findings {
  return { notes: [], untranslated: [] };
}

/** A mapping (plain object) or undefined. */
export function asMapping(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string for a YAML scalar (numbers and booleans as written), else undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A compact, one-line rendering of a compose value for messages. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
