import { createHmac, randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { WandolError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import {
  SECRET_KEY_BYTES,
  assertSecretName,
  assertSecretValue,
  hashSecret,
  open,
  seal,
} from '../core/secret-box.js';
import type { Db } from './database.js';

/** A secret as listed: its name and when it was last set, never its value. */
export interface SecretInfo {
  name: string;
  /** ISO 8601. */
  updatedAt: string;
}

type Raw = { name: string; sealed: string; updated_at: string };

/**
 * The apps' secrets in SQLite, each value sealed with AES-256-GCM (bound to its app and name) under
 * a 32-byte key kept in `keyFile`, outside the database. The key file is created on first use
 * (mode 0600) and refused when group or others may read it. Every value that passes through is
 * registered with redact(), and no method logs or returns a value in a message. Synchronous, like
 * better-sqlite3.
 */
export class SecretStore {
  private key: Buffer | undefined;

  constructor(
    private readonly db: Db,
    private readonly keyFile: string,
  ) {}

  /** Creates or replaces a secret. Throws USAGE for a bad name or an empty or too big value. */
  set(app: string, name: string, value: string): void {
    assertSecretName(name);
    assertSecretValue(value);
    registerSecret(value);
    const sealed = seal(this.secretKey(), value, aadOf(app, name));
    this.db
      .prepare(
        `INSERT INTO secrets (app, name, sealed, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (app, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
      )
      .run(app, name, sealed, new Date().toISOString());
  }

  /** Names of the app's secrets with when each was set, by name; [] for an unknown app. */
  list(app: string): SecretInfo[] {
    const rows = this.db
      .prepare(`SELECT name, updated_at FROM secrets WHERE app = ? ORDER BY name`)
      .all(app) as Pick<Raw, 'name' | 'updated_at'>[];
    return rows.map((r) => ({ name: r.name, updatedAt: r.updated_at }));
  }

  /**
   * The app's secrets decrypted, name → value (each registered with redact()). Throws INTERNAL,
   * naming the secret, when one cannot be decrypted (altered, or the key file was replaced).
   */
  values(app: string): Record<string, string> {
    const rows = this.db
      .prepare(`SELECT name, sealed FROM secrets WHERE app = ? ORDER BY name`)
      .all(app) as Raw[];
    const out: Record<string, string> = {};
    for (const row of rows) {
      const value = this.decrypt(app, row);
      registerSecret(value);
      out[row.name] = value;
    }
    return out;
  }

  /**
   * name → fingerprint of the value (`hmac-sha256:<16 hex>`, keyed so that it cannot be tested
   * against guesses), for recording a release's config "secrets by hash". Throws like values().
   */
  hashes(app: string): Record<string, string> {
    const hashKey = createHmac('sha256', this.secretKey()).update('wandol secret hash v1').digest();
    const values = this.values(app);
    return Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, hashSecret(value, hashKey)]),
    );
  }

  /** Removes one secret. Idempotent. */
  remove(app: string, name: string): void {
    this.db.prepare(`DELETE FROM secrets WHERE app = ? AND name = ?`).run(app, name);
  }

  /** Removes every secret of the app (when the app is removed). Idempotent. */
  removeApp(app: string): void {
    this.db.prepare(`DELETE FROM secrets WHERE app = ?`).run(app);
  }

  private decrypt(app: string, row: Raw): string {
    const key = this.secretKey(); // its own errors (mode, size) say more than "cannot be decrypted"
    try {
      return open(key, row.sealed, aadOf(app, row.name));
    } catch (err) {
      throw new WandolError(
        'INTERNAL',
        `secret ${row.name} of app ${app} cannot be decrypted: it was altered or sealed with another key (was ${this.keyFile} replaced?); set it again with \`wandol secret set ${app} ${row.name}\``,
        { cause: err },
      );
    }
  }

  private secretKey(): Buffer {
    this.key ??= loadOrCreateKey(this.keyFile);
    return this.key;
  }
}

/** Binds a sealed value to its row, so that a value copied to another app or name does not open. */
const aadOf = (app: string, name: string): string => `${app}/${name}`;

/**
 * Reads the key file, creating it first when absent. Throws INTERNAL when group or others may read
 * it (with the chmod that fixes it) or when it is not 32 bytes.
 */
export function loadOrCreateKey(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw keyError(file, 'cannot be read', err);
    createKeyFile(file);
    fd = openSync(file, 'r');
  }
  try {
    const info = fstatSync(fd);
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    if ((info.mode & 0o077) !== 0)
      throw keyError(file, `can be read by other users (mode ${mode}): run \`chmod 600 ${file}\``);
    const key = readFileSync(fd);
    if (!info.isFile() || key.length !== SECRET_KEY_BYTES)
      throw keyError(file, `is not a wandol secret key (expected ${SECRET_KEY_BYTES} bytes)`);
    return key;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes 32 random bytes to a temporary file (mode 0600, synced), then links it into place: unlike
 * rename, link never replaces a key another process created meanwhile (that one wins).
 */
function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // whatever the umask
    writeSync(fd, randomBytes(SECRET_KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw keyError(file, 'cannot be created', err);
  } finally {
    unlinkSync(tmp);
  }
}

function keyError(file: string, what: string, cause?: unknown): WandolError {
  return new WandolError('INTERNAL', `the secret key file ${file} ${what}`, { cause });
}
