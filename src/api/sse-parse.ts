import type { EventRecord } from './wire.js';

/**
 * Turns a server-sent-events text stream into the EventRecords of its `data:` fields (comments,
 * `id:`, `event:` and `retry:` lines are read past; a message whose data is not JSON is skipped).
 */
export async function* parseSse(chunks: AsyncIterable<string>): AsyncIterable<EventRecord> {
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        const event = decode(data);
        data = [];
        if (event) yield event;
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}

function decode(data: string[]): EventRecord | undefined {
  if (data.length === 0) return undefined;
  try {
    return JSON.parse(data.join('\n')) as EventRecord;
  } catch {
    return undefined;
  }
}
