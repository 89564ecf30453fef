/** One sample line of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: the TYPE and HELP of each family, and every sample in order. */
export interface Exposition {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

/**
 * Parses Prometheus text format 0.0.4 (what `render()` writes), for tests and benchmarks: HELP and
 * TYPE comments, samples with escaped label values, `+Inf`/`-Inf`/`NaN` values. Throws on a line
 * it cannot read, naming the line.
 */
export function parseExposition(text: string): Exposition {
  const out: Exposition = { types: new Map(), help: new Map(), samples: [] };
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const comment = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (comment) {
      (comment[1] === 'TYPE' ? out.types : out.help).set(comment[2]!, comment[3] ?? '');
      continue;
    }
    if (line.startsWith('#')) continue;
    out.samples.push(parseSample(line, i + 1));
  }
  return out;
}

function parseSample(line: string, n: number): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`line ${n}: no metric name: ${line}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const end = parseLabels(rest, labels, n);
    rest = rest.slice(end);
  }
  const value = parseValue(rest.trim().split(/\s+/)[0] ?? '');
  if (value === undefined) throw new Error(`line ${n}: bad value: ${line}`);
  return { name, labels, value };
}

/** Reads `{a="x",b="y"}` into `labels`; returns the index just past the closing brace. */
function parseLabels(text: string, labels: Record<string, string>, n: number): number {
  let i = 1;
  while (text[i] !== '}') {
    const key = /^[a-zA-Z_][a-zA-Z0-9_]*="/.exec(text.slice(i))?.[0];
    if (!key) throw new Error(`line ${n}: bad label at ${i}: ${text}`);
    i += key.length;
    let value = '';
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error(`line ${n}: unterminated label value: ${text}`);
      if (text[i] === '\\') {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
      } else value += text[i++];
    }
    labels[key.slice(0, -2)] = value;
    i++;
    if (text[i] === ',') i++;
  }
  return i + 1;
}

function parseValue(token: string): number | undefined {
  if (token === '+Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (token === 'NaN' || token === 'Nan') return NaN;
  const v = Number(token);
  return token !== '' && !Number.isNaN(v) ? v : undefined;
}

/** The metric family a sample belongs to: `_bucket`, `_sum`, `_count` of a histogram stripped. */
export function familyOf(name: string, types: Map<string, string>): string {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && (types.get(base) === 'histogram' || types.get(base) === 'summary') ? base : name;
}
