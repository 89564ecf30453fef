import { asMapping, asText, show, type Findings } from './findings.js';

/** A wandol volume: a named Docker volume `wandol-<app>-<name>` mounted at `mountPath`. */
export interface WandolVolume {
  name: string;
  mountPath: string;
}

/** A compose volume name as a wandol volume name (a DNS label), or undefined when it cannot be. */
export function volumeLabel(name: string): string | undefined {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label === '' ? undefined : label;
}

/**
 * The named volumes of a service as wandol volumes. Bind mounts (host paths), anonymous volumes,
 * tmpfs and read-only mounts are reported as not translated. Pure.
 */
export function composeVolumes(app: string, volumes: unknown, found: Findings): WandolVolume[] {
  if (volumes === undefined || volumes === null) return [];
  if (!Array.isArray(volumes)) {
    found.untranslated.push(`volumes: expected a list, got ${show(volumes)}`);
    return [];
  }
  const out: WandolVolume[] = [];
  for (const entry of volumes) {
    const mount = asMapping(entry) ? longMount(asMapping(entry) ?? {}) : shortMount(asText(entry) ?? '');
    const what = `volumes ${show(entry)}`;
    if (!mount || !mount.target.startsWith('/')) {
      found.untranslated.push(`${what}: not understood`);
    } else if (mount.type === 'bind') {
      found.untranslated.push(
        `${what}: bind mounts of host folders are not supported; use a named volume, or put the files in the image`,
      );
    } else if (mount.type !== 'volume' || !mount.source) {
      found.untranslated.push(
        `${what}: only named volumes are kept (this is ${mount.type === 'volume' ? 'anonymous' : mount.type})`,
      );
    } else {
      const name = volumeLabel(mount.source);
      if (!name) {
        found.untranslated.push(`${what}: the volume name cannot be made a-z, 0-9 and -`);
        continue;
      }
      if (mount.readOnly)
        found.notes.push(`${what}: mounted read-write (wandol volumes have no read-only mode)`);
      found.notes.push(
        `volume ${name}: wandol keeps it as the Docker volume wandol-${app}-${name}; data in compose's volume is not copied over`,
      );
      out.push({ name, mountPath: mount.target });
    }
  }
  return out;
}

interface Mount {
  type: string;
  source?: string;
  target: string;
  readOnly: boolean;
}

function shortMount(text: string): Mount | undefined {
  const parts = text.split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0] ?? '', readOnly: false };
  const [source = '', target = '', mode = ''] = parts;
  const bind = /^[./~]/.test(source) || source.startsWith('$');
  return { type: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
}

function longMount(entry: Record<string, unknown>): Mount | undefined {
  const target = asText(entry.target);
  if (!target) return undefined;
  const source = asText(entry.source);
  return {
    type: asText(entry.type) ?? 'volume',
    ...(source ? { source } : {}),
    target,
    readOnly: entry.read_only === true,
  };
}
