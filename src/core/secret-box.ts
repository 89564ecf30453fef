import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { WandolError } from './errors.js';

/** Length of a secret-box key: AES-256. */
export const SECRET_KEY_BYTES = 32;
/** Largest secret value accepted, in UTF-8 bytes. */
export const MAX_SECRET_BYTES = 64 * 1024;
/** Names of secrets: environment variable names. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts `plaintext` with AES-256-GCM under `key` (32 bytes) and a fresh random IV. `aad` (for
 * example `app/NAME`) is authenticated but not stored: open() needs the same one, so a sealed value
 * copied to another row does not open. Returns `v1.<iv b64>.<tag b64>.<ciphertext b64>`. Throws
 * INTERNAL for a key of the wrong length.
 */
export function seal(key: Buffer, plaintext: string, aad = ''): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64'));
  return [VERSION, ...parts].join('.');
}

/**
 * Decrypts what seal() made with the same key and `aad`. Throws INTERNAL when the text is not a
 * sealed value, was altered, or was sealed under another key or aad (the message never holds it).
 */
export function open(key: Buffer, sealed: string, aad = ''): string {
  checkKey(key);
  const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length)
    throw new WandolError('INTERNAL', 'not a sealed secret (expected v1.<iv>.<tag>.<ciphertext>)');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
    return plain.toString('utf8');
  } catch (err) {
    throw new WandolError(
      'INTERNAL',
      'a stored secret cannot be decrypted: it was altered or sealed with another key (was the key file replaced?); set it again with `wandol secret set`',
      { cause: err },
    );
  }
}

/**
 * A short fingerprint of a secret value for release records ("secrets by hash"): tells whether a
 * value changed between releases without storing it. Without `key`: `sha256:<first 16 hex>` of the
 * value. With `key`: `hmac-sha256:<first 16 hex>` of an HMAC under it, which, unlike a plain hash,
 * cannot be tested against guesses by whoever reads the records. Pure.
 */
export function hashSecret(value: string, key?: Buffer): string {
  if (key === undefined)
    return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`;
  return `hmac-sha256:${createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16)}`;
}

/**
 * Checks a secret's name (an environment variable name other than PORT, which wandol sets) and
 * returns it. Throws USAGE otherwise.
 */
export function assertSecretName(name: string): string {
  if (SECRET_NAME.test(name) && name !== 'PORT') return name;
  throw new WandolError(
    'USAGE',
    `invalid secret name ${JSON.stringify(name.slice(0, 64))}: use letters, digits and _, not starting with a digit, other than PORT (like DISCORD_TOKEN)`,
  );
}

/**
 * Checks a secret's value: not empty, at most MAX_SECRET_BYTES in UTF-8. Returns it. Throws USAGE
 * (the message never holds the value).
 */
export function assertSecretValue(value: string): string {
  if (value === '')
    throw new WandolError('USAGE', 'a secret value must not be empty (to remove one: `wandol secret rm`)');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_SECRET_BYTES)
    throw new WandolError(
      'USAGE',
      `a secret value is at most ${MAX_SECRET_BYTES} bytes; this one has ${bytes}`,
    );
  return value;
}

function checkKey(key: Buffer): void {
  if (key.length !== SECRET_KEY_BYTES)
    throw new WandolError('INTERNAL', `a secret key has ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
}
