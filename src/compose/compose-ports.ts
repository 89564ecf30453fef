import { asMapping, asText, show, type Findings } from './findings.js';

/** One published (or exposed) port of a service. */
export interface ComposePort {
  /** The port the container listens on. */
  container: number;
  /** The host port compose publishes it on; undefined when compose picks one at random. */
  published?: number;
  hostIp?: string;
  protocol: string;
}

const SHORT = /^(?:(?:\[?([0-9a-fA-F.:]+?)\]?:)?(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/;

/**
 * The ports of a service (short `"[ip:][host:]container[/proto]"` and long `{target, published,
 * host_ip, protocol}` forms). Ranges and unreadable entries are reported and left out. Pure.
 */
export function composePorts(ports: unknown, found: Findings): ComposePort[] {
  if (ports === undefined || ports === null) return [];
  if (!Array.isArray(ports)) {
    found.untranslated.push(`ports: expected a list, got ${show(ports)}`);
    return [];
  }
  return ports.flatMap((entry): ComposePort[] => {
    const port = asMapping(entry) ? longPort(asMapping(entry) ?? {}) : shortPort(asText(entry) ?? '');
    if (port === 'range') {
      found.untranslated.push(`ports ${show(entry)}: port ranges are not supported; an app has one port`);
      return [];
    }
    if (!port) {
      found.untranslated.push(`ports ${show(entry)}: not understood`);
      return [];
    }
    return [port];
  });
}

function shortPort(text: string): ComposePort | 'range' | undefined {
  const m = SHORT.exec(text.trim());
  if (!m) return undefined;
  const [, hostIp, published, container, protocol] = m;
  if (container?.includes('-') || published?.includes('-')) return 'range';
  return {
    container: Number(container),
    ...(published ? { published: Number(published) } : {}),
    ...(hostIp ? { hostIp } : {}),
    protocol: protocol ?? 'tcp',
  };
}

function longPort(entry: Record<string, unknown>): ComposePort | 'range' | undefined {
  const target = asText(entry.target);
  const published = asText(entry.published);
  if (target?.includes('-') || published?.includes('-')) return 'range';
  if (!target || !/^\d+$/.test(target)) return undefined;
  const hostIp = asText(entry.host_ip);
  return {
    container: Number(target),
    ...(published && /^\d+$/.test(published) ? { published: Number(published) } : {}),
    ...(hostIp ? { hostIp } : {}),
    protocol: asText(entry.protocol) ?? 'tcp',
  };
}

/** The `expose` ports of a service (container ports, never published). Pure. */
export function exposedPorts(expose: unknown): number[] {
  if (!Array.isArray(expose)) return [];
  return expose.flatMap((e) => {
    const m = /^(\d+)(\/tcp)?$/.exec(asText(e) ?? '');
    return m ? [Number(m[1])] : [];
  });
}
