import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_NOT_BUILT_HTML } from './pages.js';

/** Where `vite build ui` puts the dashboard, from this compiled file (dist/src/dashboard/). */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file name Vite emits under assets/: no separators, no leading dot. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The content type of a file name (application/octet-stream when unknown). Pure. */
export function contentTypeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The dashboard's index.html from `uiDir`, or a page saying to run `npm run build` when the UI was
 * not built. Reads the disk on every call; never throws.
 */
export function dashboardHtml(uiDir = DEFAULT_UI_DIR): string {
  try {
    return readFileSync(join(uiDir, 'index.html'), 'utf8');
  } catch {
    return UI_NOT_BUILT_HTML;
  }
}

/**
 * The bytes and content type of `uiDir/assets/<name>`, or undefined when the name is not a plain
 * file name or there is no such file. Never throws.
 */
export async function readAsset(
  uiDir: string,
  name: string,
): Promise<{ data: Buffer; type: string } | undefined> {
  if (!ASSET_NAME.test(name)) return undefined;
  try {
    return { data: await readFile(join(uiDir, 'assets', name)), type: contentTypeOf(name) };
  } catch {
    return undefined;
  }
}
