/** What interpolation found: names that were used but not set (compose warns about these). */
export interface InterpolationReport {
  unset: Set<string>;
  /** `${VAR:?message}` / `${VAR?message}` whose variable was missing: compose would refuse. */
  required: Set<string>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Compose's variable substitution on one string: `$$` is a literal `$`; `$VAR` and `${VAR}` take
 * the value from `vars` (empty when unset, recorded in `report.unset`); `${VAR:-default}` and
 * `${VAR-default}` fall back (`:` also when empty), `${VAR:+alt}` / `${VAR+alt}` replace when set,
 * `${VAR:?err}` / `${VAR?err}` record the variable in `report.required`. Defaults nest. Pure.
 */
export function interpolate(
  text: string,
  vars: Record<string, string | undefined>,
  report: InterpolationReport,
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      if (end < 0) return out + text.slice(dollar); // unbalanced: keep as written
      out += expand(text.slice(dollar + 2, end), vars, report);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (!name) {
        out += '$';
        i = dollar + 1;
        continue;
      }
      out += lookup(name, vars, report);
      i = dollar + 1 + name.length;
    }
  }
  return out;
}

/** Interpolates every string inside a parsed YAML value (mapping keys are left as they are). */
export function interpolateDeep(
  value: unknown,
  vars: Record<string, string | undefined>,
  report: InterpolationReport,
): unknown {
  if (typeof value === 'string') return interpolate(value, vars, report);
  if (Array.isArray(value)) return value.map((v) => interpolateDeep(v, vars, report));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars, report)]));
  }
  return value;
}

function expand(body: string, vars: Record<string, string | undefined>, report: InterpolationReport): string {
  const name = NAME.exec(body)?.[0] ?? '';
  const rest = body.slice(name.length);
  const value = vars[name];
  const op = /^(:?[-+?])/.exec(rest)?.[1];
  if (!name || op === undefined) return lookup(name || body, vars, report);
  const arg = interpolate(rest.slice(op.length), vars, report);
  const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op.at(-1)) {
    case '-':
      return set ? (value ?? '') : arg;
    case '+':
      return set ? arg : '';
    default: // '?'
      if (!set) report.required.add(name);
      return value ?? '';
  }
}

function lookup(name: string, vars: Record<string, string | undefined>, report: InterpolationReport): string {
  const value = vars[name];
  if (value === undefined) report.unset.add(name);
  return value ?? '';
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
