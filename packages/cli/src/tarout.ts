import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CliIO } from './command.js';

/**
 * Where export and save write their tar: the `-o` file, else stdout unless it is a terminal
 * (docker's "Cowardly refusing" check runs before the request).
 */
export function tarDestination(ctx: CliIO, output: string): () => NodeJS.WritableStream {
  if (output === '' && ctx.stdout.isTTY) throw new Error('Cowardly refusing to save to a terminal. Use the -o flag or redirect.');
  return () => (output === '' ? ctx.stdout : createWriteStream(output));
}

/** Copies a response body to its destination, ending a file but leaving stdout open. */
export async function writeTar(body: Readable, dest: NodeJS.WritableStream, ctx: CliIO): Promise<void> {
  if (dest === ctx.stdout) {
    for await (const chunk of body) if (!ctx.stdout.write(chunk)) await new Promise((r) => ctx.stdout.once('drain', r));
    return;
  }
  await pipeline(body, dest);
}
