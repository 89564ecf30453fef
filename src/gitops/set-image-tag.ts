import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { WandolError } from '../core/errors.js';

/** The outcome of an edit: the new text (the input itself when nothing changed) and whether it changed. */
export interface ImageTagEdit {
  text: string;
  changed: boolean;
}

/**
 * Sets `newTag` of the `images:` entry for `image` in a kustomization's text, the way
 * `kustomize edit set image` would, keeping the rest of the file, its order and its comments.
 * The entry is the one whose `name` is `image` (the name used in the manifests); failing that, the
 * one whose `newName` is `image` (a manifest name renamed to our registry); otherwise
 * `{ name: image, newTag }` is appended (creating `images:` when absent). A `digest` on the entry
 * is removed, since kustomize would let it win over the tag. Pure; `changed: false` (and the text
 * untouched) when the entry is already at that tag. Throws INVALID_CONFIG naming `file` when the
 * text is not one YAML mapping or `images` is not a list.
 */
export function setKustomizeImage(
  text: string,
  image: string,
  newTag: string,
  file = 'kustomization.yaml',
): ImageTagEdit {
  const doc = parseKustomization(text, file);
  const root = doc.contents as YAMLMap;
  const images = imagesList(doc, root, file);
  const entries = matchingEntries(images, image, file);
  if (entries.length === 0) {
    images.add(doc.createNode({ name: image, newTag }));
  } else if (!entries.map((entry) => setTag(doc, entry, newTag)).includes(true)) {
    return { text, changed: false };
  }
  return { text: render(doc, text), changed: true };
}

/** Parses one YAML document whose root is a mapping (an empty file is refused too). */
function parseKustomization(text: string, file: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    throw new WandolError('INVALID_CONFIG', `${file}: not valid YAML: ${error.message}`, { cause: error });
  }
  if (!isMap(doc.contents)) {
    throw new WandolError(
      'INVALID_CONFIG',
      `${file}: expected a YAML mapping (a Kustomization with resources: and images:), found ${describe(doc.contents)}`,
    );
  }
  return doc;
}

/** The `images` list, created (empty) when the key is absent or has no value. */
function imagesList(doc: Document, root: YAMLMap, file: string): YAMLSeq {
  const node = root.get('images', true);
  if (node === undefined || (isScalar(node) && node.value === null)) {
    const created = doc.createNode([]);
    // `images: # note` keeps its note: on a list, the same comment sits in commentBefore.
    if (isScalar(node) && node.comment !== undefined) created.commentBefore = node.comment;
    root.set('images', created);
    return created;
  }
  if (!isSeq(node)) {
    throw new WandolError(
      'INVALID_CONFIG',
      `${file}: images must be a list of { name, newTag } entries, found ${describe(node)}`,
    );
  }
  return node;
}

/** The entries matching `image` by `name`, else by `newName`. Throws when an entry is not a mapping. */
function matchingEntries(images: YAMLSeq, image: string, file: string): YAMLMap[] {
  const entries = images.items.map((item, i) => {
    if (isMap(item)) return item;
    throw new WandolError(
      'INVALID_CONFIG',
      `${file}: images[${i}] must be a mapping like { name: ${image}, newTag: ... }, found ${describe(item)}`,
    );
  });
  const byName = entries.filter((entry) => scalarText(entry.get('name', true)) === image);
  return byName.length > 0 ? byName : entries.filter((e) => scalarText(e.get('newName', true)) === image);
}

/** Sets `newTag` (keeping its quoting style) and drops `digest`; returns whether anything changed. */
function setTag(doc: Document, entry: YAMLMap, newTag: string): boolean {
  const hadDigest = entry.delete('digest');
  const current = entry.get('newTag', true);
  if (scalarText(current) === newTag) return hadDigest;
  if (isScalar(current)) current.value = newTag;
  else entry.set('newTag', doc.createNode(newTag));
  return true;
}

/** A scalar's text as written (so `newTag: 1.10` reads as "1.10"), undefined for anything else. */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return node.source ?? String(node.value);
}

/**
 * The edited document as text, in whichever list indentation (`- x` under the key or indented) keeps
 * more of the original lines, with the original line endings. Long lines are never folded.
 */
function render(doc: Document, original: string): string {
  const seen = new Set(original.split(/\r?\n/));
  const candidates = [true, false].map((indentSeq) => doc.toString({ lineWidth: 0, indentSeq }));
  const kept = (out: string): number => out.split('\n').filter((line) => seen.has(line)).length;
  const best = candidates.reduce((a, b) => (kept(b) > kept(a) ? b : a));
  return original.includes('\r\n') ? best.replace(/\n/g, '\r\n') : best;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  return isScalar(node) ? `the value ${JSON.stringify(node.value)}` : 'another kind of node';
}
