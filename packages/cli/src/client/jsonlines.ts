import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The JSON documents of a JSON-lines response (events, pull, push, build, stats), as they arrive. */
export async function* jsonLines(source: Readable): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8'); // a character may straddle two chunks
  let pending = '';
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
      if (line.trim() !== '') yield JSON.parse(line) as unknown;
    }
  }
  if (pending.trim() !== '') yield JSON.parse(pending) as unknown;
}
