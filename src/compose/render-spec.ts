import { stringify } from 'yaml';
import type { ServiceImport } from './translate-service.js';

/**
 * The wandol.yaml text of an imported service: a header naming its origin, the notes and what was
 * not translated as comments, then the spec. Pure; stable output (fixture tests compare it).
 */
export function renderSpec(imp: ServiceImport, composeFile: string): string {
  const header = [
    `# wandol.yaml for the compose service "${imp.service}", imported from ${composeFile} by \`wandol import compose\`.`,
    ...section('Notes', imp.notes),
    ...section('Not translated', imp.untranslated),
  ];
  return `${header.join('\n')}\n${stringify(imp.spec, { lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false })}`;
}

function section(title: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return [`# ${title}:`, ...lines.map((l) => `#   - ${l}`)];
}
