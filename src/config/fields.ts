import { posix } from 'node:path';
import { leaf, requiredLeaf, text, wholeNumber, type LeafParser } from './schema-kit.js';
import { parseCpuMillis, parseDurationMs, parseMemoryBytes } from './quantities.js';

/** Names of environment variables and secrets. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const IMAGE_PART = /^[a-z0-9]+([._-]+[a-z0-9]+)*$/;
const REGISTRY_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;

const PORT_TEXT = 'a port number 1-65535';
const DURATION_TEXT = 'a duration like "30s", "1m30s", "500ms" or a number of seconds';

/** An optional TCP port, 1–65535. */
export const port = () => leaf(PORT_TEXT, wholeNumber(1, 65535));

/** A duration in ms with a default; `positive` refuses zero. */
export const duration = (fallbackMs: number, positive = false) =>
  leaf(
    positive ? `${DURATION_TEXT} (more than 0)` : DURATION_TEXT,
    (v) => {
      const ms = parseDurationMs(v);
      return ms !== undefined && (!positive || ms > 0) ? ms : undefined;
    },
    fallbackMs,
  );

/** An optional CPU quantity in millicores. */
export const cpu = () => leaf('a CPU quantity like "500m", "0.5" or "1"', parseCpuMillis);

/** An optional memory quantity in bytes. */
export const memory = () =>
  leaf('a memory size like "256Mi", "1Gi", "512M" or a number of bytes', parseMemoryBytes);

/** An optional non-empty string (commands and the like). */
export const command = () => leaf('a non-empty string', text());

/** A relative path inside the repository (no `..`, not absolute), normalised (`./a/b` → `a/b`). */
export const relativePath: LeafParser<string> = (value) => {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('\0')) return undefined;
  const norm = posix.normalize(value.trim());
  if (posix.isAbsolute(norm) || norm === '..' || norm.startsWith('../') || norm === '.') return undefined;
  return norm.replace(/\/$/, '');
};
/** Says what relativePath accepts. */
export const RELATIVE_PATH_TEXT = 'a relative path inside the repository';

/** A hostname like `hello.localhost` (lower-cased). */
export const hostname: LeafParser<string> = (value) =>
  typeof value === 'string' && HOSTNAME.test(value.trim().toLowerCase())
    ? value.trim().toLowerCase()
    : undefined;

/** An env variable or secret name; `PORT` is refused because wandol sets it. */
export const envName = () =>
  requiredLeaf(
    'a variable name of letters, digits and _ (not starting with a digit), other than PORT',
    (v) => (typeof v === 'string' && ENV_NAME.test(v) && v !== 'PORT' ? v : undefined),
  );

/** A DNS label: `[a-z0-9-]`, 1–63 characters, starting and ending with a letter or digit. */
export const dnsLabel: LeafParser<string> = (value) =>
  typeof value === 'string' && DNS_LABEL.test(value) ? value : undefined;

/** An image name without tag or digest: `hello`, `registry.example/team/hello`, `host:5000/hello`. */
export const imageName: LeafParser<string> = (value) => {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split('/');
  const [first, ...rest] = parts;
  if (first === undefined) return undefined;
  const firstOk = rest.length > 0 ? REGISTRY_HOST.test(first) : IMAGE_PART.test(first);
  return firstOk && rest.every((p) => IMAGE_PART.test(p)) ? value.trim() : undefined;
};
