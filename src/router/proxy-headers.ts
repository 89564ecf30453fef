/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1), never forwarded. `expect` is answered by the router's own
 * HTTP server (100-continue) and refused by undici, so it stops here too.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Request header names the router reads or rewrites (hop-by-hop ones included). */
const REQUEST_SPECIAL = [
  ...HOP_BY_HOP,
  'host',
  'content-length',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
];

/** 1 at the lengths of `names`: a header of another length is passed on without lower-casing it (hot path). */
function lengthsOf(names: readonly string[]): readonly number[] {
  return Array.from({ length: 32 }, (_, n) => (names.some((name) => name.length === n) ? 1 : 0));
}

const HOP_LENGTHS = lengthsOf([...HOP_BY_HOP]);
const REQUEST_LENGTHS = lengthsOf(REQUEST_SPECIAL);

/** What the request header scan learns on the way (filled by upstreamRequestHeaders). */
export interface RequestFacts {
  /** The original Host header ('' when absent). */
  host: string;
  /** True when the request carries a body: Transfer-Encoding, or Content-Length other than 0. */
  hasBody: boolean;
}

/**
 * The header list (flat name, value pairs) to send upstream for a client request's `raw` headers:
 * hop-by-hop fields and those named in Connection removed, Host kept, X-Forwarded-For appended with
 * `clientAddress`, X-Forwarded-Proto kept if present (else http), X-Forwarded-Host set to the original
 * Host. Fills `facts`. Pure apart from `facts`.
 */
export function upstreamRequestHeaders(
  raw: readonly string[],
  clientAddress: string,
  facts: RequestFacts,
): string[] {
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let proto: string | undefined;
  let named: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (REQUEST_LENGTHS[name.length] !== 1) {
      out.push(name, value);
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'host') facts.host = value;
    else if (lower === 'content-length') facts.hasBody ||= value !== '0';
    else if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    } else if (lower === 'x-forwarded-proto') {
      proto ??= value;
      continue;
    } else if (lower === 'x-forwarded-host') continue;
    else if (HOP_BY_HOP.has(lower)) {
      if (lower === 'transfer-encoding') facts.hasBody = true;
      else if (lower === 'connection') named = namedInConnection(value, named);
      continue;
    }
    out.push(name, value);
  }
  const result = named === undefined ? out : withoutNamed(out, named);
  result.push(
    'x-forwarded-for',
    forwardedFor === undefined ? clientAddress : `${forwardedFor}, ${clientAddress}`,
  );
  result.push('x-forwarded-proto', proto ?? 'http');
  if (facts.host !== '') result.push('x-forwarded-host', facts.host);
  return result;
}

/**
 * The header list (flat name, value pairs of latin1 strings) to send to the client for an upstream
 * response's `raw` headers: hop-by-hop fields and those named in Connection removed. Pure.
 */
export function clientResponseHeaders(raw: readonly Buffer[]): string[] {
  const out: string[] = [];
  let named: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    if (HOP_LENGTHS[name.length] === 1) {
      const lower = name.toLowerCase();
      if (lower === 'connection') named = namedInConnection((raw[i + 1] as Buffer).toString('latin1'), named);
      if (HOP_BY_HOP.has(lower)) continue;
    }
    out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
  }
  return named === undefined ? out : withoutNamed(out, named);
}

/** The Host header of raw request headers, or '' when absent. Pure. */
export function rawHost(raw: readonly string[]): string {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') return raw[i + 1] as string;
  }
  return '';
}

/** Lower-cases a Host header or a route's host name and strips its port (`Foo.Example:8080` → `foo.example`). */
export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

/** Adds the header names listed in a Connection value (other than the usual tokens) to a comma list. */
function namedInConnection(value: string, named: string | undefined): string | undefined {
  const lower = value.toLowerCase();
  if (lower === 'keep-alive' || lower === 'close' || lower === 'upgrade') return named;
  return named === undefined ? lower : `${named},${lower}`;
}

function withoutNamed(headers: string[], named: string): string[] {
  const drop = new Set(named.split(',').map((token) => token.trim()));
  drop.delete('host'); // a Connection header naming Host is broken; the upstream still needs Host
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!drop.has((headers[i] as string).toLowerCase()))
      out.push(headers[i] as string, headers[i + 1] as string);
  }
  return out;
}
