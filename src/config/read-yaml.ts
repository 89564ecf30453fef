import { LineCounter, parseDocument } from 'yaml';
import { invalidConfig } from './problem.js';

/**
 * Parses YAML text into plain data. Throws INVALID_CONFIG listing every syntax error as
 * `<file>:<line>:<column>: <reason>` (duplicate keys included). An empty file is `null`.
 */
export function readYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((err) => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      return `${file}:${line}:${col}: ${firstLine(err.message)}`;
    });
    throw invalidConfig(file, details);
  }
  return doc.toJS();
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
