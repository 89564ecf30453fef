import { formatDuration } from '../core/duration.js';
import { shortSha } from '../core/names.js';
import type {
  AppStatus,
  AppSummary,
  InstanceStatus,
  ReleaseRecord,
  ReleaseTrafficFigures,
} from '../api/wire.js';

/** Human output of the CLI: pure functions from wire shapes to text (no trailing newline). */

const GAP = '   ';
const NONE = '-';

/** Aligned columns: a header row then the rows; the last column is not padded. Pure. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  return all
    .map((row) =>
      headers
        .map((_, col) =>
          col === headers.length - 1 ? (row[col] ?? '') : (row[col] ?? '').padEnd(widths[col] ?? 0),
        )
        .join(GAP)
        .trimEnd(),
    )
    .join('\n');
}

/** `label: value` lines with the values aligned. Pure. */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length + 1));
  return pairs.map(([label, value]) => `${(label + ':').padEnd(width)}  ${value}`.trimEnd()).join('\n');
}

/** The 7-character form of a revision, or `-`. */
export function shortRev(revision: string | null | undefined): string {
  return revision ? shortSha(revision) : NONE;
}

/** How long ago `iso` was, kubectl style: `45s`, `12m`, `3h`, `5d` (`-` when unknown). Pure. */
export function age(iso: string | null | undefined, now: number): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return NONE;
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** `120 req, 0 failed, p99 25ms` (`(so far)` while the window is open; `-` when there was none). */
export function trafficSummary(traffic: ReleaseTrafficFigures): string {
  if (traffic.window === 'none') return NONE;
  const p99 = traffic.p99Ms === null ? NONE : formatDuration(traffic.p99Ms);
  const text = `${traffic.requests} req, ${traffic.failed} failed, p99 ${p99}`;
  return traffic.window === 'open' ? `${text} (so far)` : text;
}

/** How long a release took, or `-` while it runs. */
export function releaseDuration(release: ReleaseRecord): string {
  if (!release.finishedAt) return NONE;
  return formatDuration(Math.max(0, Date.parse(release.finishedAt) - Date.parse(release.startedAt)));
}

/** The MESSAGE column: the error of a failed release, else the commit's first line; shortened. */
export function releaseMessage(release: ReleaseRecord, max = 60): string {
  const text = release.error?.message ?? release.message ?? '';
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `wandol status`: one row per app. */
export function statusTable(statuses: readonly AppStatus[]): string {
  return table(
    ['NAME', 'SYNC', 'HEALTH', 'REVISION', 'REPLICAS', 'URL'],
    statuses.map((s) => [
      s.name,
      s.sync,
      s.health,
      shortRev(s.revision),
      `${s.replicas.ready}/${s.replicas.desired}`,
      s.url ?? NONE,
    ]),
  );
}

/** `wandol history NAME`: releases in the order given (newest first from the API). */
export function historyTable(releases: readonly ReleaseRecord[], now: number): string {
  return table(
    ['ID', 'REVISION', 'STATUS', 'TRIGGER', 'STARTED', 'DURATION', 'TRAFFIC', 'MESSAGE'],
    releases.map((r) => [
      String(r.id) + (r.live ? '*' : ''),
      shortRev(r.revision),
      r.status === 'InProgress' ? `InProgress (${r.phase})` : r.status,
      r.trigger,
      age(r.startedAt, now),
      releaseDuration(r),
      trafficSummary(r.traffic),
      releaseMessage(r),
    ]),
  );
}

/** `wandol app ls`. */
export function appsTable(apps: readonly AppSummary[], now: number): string {
  return table(
    ['NAME', 'REPO', 'BRANCH', 'PATH', 'POLL', 'AGE'],
    apps.map((a) => [a.name, a.repo, a.branch, a.path, formatDuration(a.pollMs), age(a.createdAt, now)]),
  );
}

/** `wandol status NAME`: fields, the last error, and the instances. */
export function statusDetail(s: AppStatus, now: number): string {
  const withReason = (value: string, reason: string): string => (reason ? `${value} (${reason})` : value);
  const parts = [
    fields([
      ['Name', s.name],
      ['Repo', `${s.repo} (branch ${s.branch})`],
      ['Sync', withReason(s.sync, s.syncReason)],
      ['Health', withReason(s.health, s.healthReason)],
      ['Revision', s.revision ? `${shortRev(s.revision)} (release ${s.liveReleaseId ?? NONE})` : NONE],
      ['Branch head', shortRev(s.headRevision)],
      ['Replicas', `${s.replicas.ready}/${s.replicas.desired} ready`],
      ['URL', s.url ?? NONE],
    ]),
  ];
  if (s.lastError) {
    const details = s.lastError.details.map((d) => `\n  ${d}`).join('');
    parts.push(
      `Last error (${age(s.lastError.at, now)} ago): ${s.lastError.code}: ${s.lastError.message}${details}`,
    );
  }
  parts.push(
    s.instances.length === 0 ? 'Instances: none' : `Instances:\n${indent(instancesTable(s.instances, now))}`,
  );
  return parts.join('\n\n');
}

/** The instances of `status NAME`. */
export function instancesTable(instances: readonly InstanceStatus[], now: number): string {
  return table(
    ['ID', 'REVISION', 'SLOT', 'ENDPOINT', 'READY', 'PHASE', 'RESTARTS', 'LAST EXIT'],
    instances.map((i) => [
      i.id,
      shortRev(i.revision),
      i.slot,
      i.endpoint ?? NONE,
      i.ready ? 'yes' : 'no',
      i.phase,
      String(i.restarts),
      lastExit(i.lastExit, now),
    ]),
  );
}

function lastExit(exit: InstanceStatus['lastExit'], now: number): string {
  if (!exit) return NONE;
  const how = exit.signal ? exit.signal : `code ${exit.code ?? '?'}`;
  return `${how}, ${age(exit.at, now)} ago${exit.reason ? `: ${exit.reason}` : ''}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
