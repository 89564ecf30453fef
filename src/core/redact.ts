/** Credentials in URLs (`https://user:token@host`) become `https://***@host`. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi;
/** `token=…`, `password: …` and bearer tokens in free text. */
const KEY_VALUE =
  /\b(token|password|passwd|secret|api[_-]?key|authorization)(\s*[=:]\s*)(bearer\s+)?[^\s&"',;]+/gi;

const registered = new Set<string>();

/**
 * Replaces credentials in `text` with `***`: userinfo in URLs, `key=value` pairs with a secret-like
 * key, and every value given to `registerSecret`. Pure apart from that registry; never throws.
 */
export function redact(text: string): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@').replace(KEY_VALUE, '$1$2$3***');
  for (const value of registered) out = out.split(value).join('***');
  return out;
}

/** Makes `redact` hide this exact value from now on (values shorter than 4 characters are ignored). */
export function registerSecret(value: string): void {
  if (value.length >= 4) registered.add(value);
}
