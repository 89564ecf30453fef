/** How a repository was named: a URL or scp-like address, a local path, or a bare `owner/repo`. */
export type RepoRefKind = 'remote' | 'path' | 'name';

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** git's scp-like syntax `[user@]host:path`: a colon before any slash. */
const SCP_LIKE = /^(?:[^@/]+@)?([^/:]+):(?!\/\/)(.*)$/;

/**
 * One comparable key for every way a repository is named: `https://user:tok@GitHub.com/O/R.git/`,
 * `git@github.com:o/r.git` and `ssh://git@github.com:22/o/r` all become `github.com/o/r` (scheme,
 * credentials, port, `.git` and trailing slashes dropped, lower-cased); a local path or `file://` URL
 * becomes the path without `.git`; a bare `owner/repo` stays `owner/repo`. Pure; never throws.
 */
export function repoKey(urlOrName: string): string {
  return parseRepoRef(urlOrName).key;
}

/** The key of `urlOrName` (see repoKey) and the kind of name it was. Pure. */
export function parseRepoRef(urlOrName: string): { key: string; kind: RepoRefKind } {
  const text = urlOrName.trim();
  const scheme = SCHEME.exec(text);
  if (scheme) {
    const rest = text.slice(scheme[0].length).replace(/[?#].*$/, '');
    if (scheme[1]?.toLowerCase() === 'file')
      return { key: tidyPath(rest.replace(/^[^/]*/, '')), kind: 'path' };
    const slash = rest.indexOf('/');
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? '' : rest.slice(slash);
    return { key: joinHost(hostOf(authority), path), kind: 'remote' };
  }
  if (text.startsWith('/') || text.startsWith('.') || text.startsWith('~')) {
    return { key: tidyPath(text), kind: 'path' };
  }
  const scp = SCP_LIKE.exec(text);
  if (scp) return { key: joinHost(scp[1] ?? '', scp[2] ?? ''), kind: 'remote' };
  return { key: tidyPath(text).replace(/^\/+/, ''), kind: 'name' };
}

/**
 * True when a name the push gives for its repository (clone URL, ssh URL, web URL, full name) names
 * `appRepo`: equal keys, or a bare full name (`owner/repo`, `group/sub/repo`) equal to the last
 * segments of the app's key (and the other way round when the app was registered by full name). Pure.
 */
export function repoMatches(appRepo: string, pushNames: readonly string[]): boolean {
  const app = parseRepoRef(appRepo);
  if (app.key === '') return false;
  return pushNames.some((name) => {
    const push = parseRepoRef(name);
    if (push.key === '') return false;
    if (push.key === app.key) return true;
    if (push.kind === 'name' && app.kind !== 'name') return endsWithSegments(app.key, push.key);
    if (app.kind === 'name' && push.kind !== 'name') return endsWithSegments(push.key, app.key);
    return false;
  });
}

/** True when `tail` (two segments or more) is the last `/`-separated segments of the longer `key`. */
function endsWithSegments(key: string, tail: string): boolean {
  const keyParts = key.split('/');
  const tailParts = tail.split('/');
  // A full name has an owner and a name at least: a lone `repo` would match any owner's.
  if (tailParts.length < 2 || tailParts.length >= keyParts.length) return false;
  return keyParts.slice(-tailParts.length).join('/') === tail;
}

/** The host of an authority, without credentials or port, lower-cased (IPv6 brackets kept). */
function hostOf(authority: string): string {
  const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  return host.startsWith('[') ? host.replace(/\]:.*$/, ']') : host.replace(/:.*$/, '');
}

function joinHost(host: string, path: string): string {
  const tidy = tidyPath(path).replace(/^\/+/, '');
  return tidy === '' ? host : `${host}/${tidy}`;
}

/** Lower-cases, collapses repeated slashes, drops trailing slashes and a `.git` suffix. */
function tidyPath(path: string): string {
  return path
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}
