import type { ComposeImport } from './import-compose.js';

/**
 * The text `wandol import compose` prints: per service, the files written, the notes and what was
 * not translated; then the secrets to set and the next steps. Pure.
 */
export function importSummary(result: ComposeImport): string {
  const lines: string[] = [];
  for (const s of result.services) {
    lines.push(`${s.service} -> ${s.files.join(', ')} (app ${s.app})`);
    for (const note of s.notes) lines.push(`  note: ${note}`);
    for (const item of s.untranslated) lines.push(`  not translated: ${item}`);
  }
  if (result.unsetVariables.length > 0) {
    lines.push(`variables not set (left blank, as compose does): ${result.unsetVariables.join(', ')}`);
  }
  const count = result.services.length;
  lines.push(
    '',
    `Imported ${count} ${count === 1 ? 'service' : 'services'} from ${result.composeFile} into ${result.outDir}.`,
  );
  const secrets = result.services.flatMap((s) =>
    s.secrets.map((name) => `wandol secret set ${s.app} ${name}`),
  );
  if (secrets.length > 0) {
    lines.push('Set the secrets (each value is read from stdin; they stay out of git):');
    for (const command of secrets) lines.push(`  ${command}`);
  }
  lines.push(
    'Next: commit each wandol.yaml (and Dockerfile) where its note says, then `wandol app add NAME --repo REPO [--path DIR]`.',
  );
  return `${lines.join('\n')}\n`;
}
