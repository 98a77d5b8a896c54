import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';

/** `berth load [-i FILE]`: images from a save archive on stdin or in a file; prints what was loaded. */
export const loadCommand: Command = {
  name: 'load',
  signature: '',
  description: 'Load an image from a tar archive on STDIN',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const input = fs.string(['i', '-input'], '', 'Read from a tar archive file, instead of STDIN');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const body = input.value === '' ? Readable.from(ctx.stdin) : createReadStream(input.value);
    const client = await ctx.client();
    for await (const m of client.jsonLines('POST', '/images/load', { body, headers: { 'Content-Type': 'application/x-tar' } })) {
      const msg = m as { stream?: string; error?: string; errorDetail?: { message?: string } };
      const error = msg.errorDetail?.message ?? msg.error;
      if (error !== undefined) throw new Error(error);
      if (msg.stream) ctx.stdout.write(msg.stream);
    }
    return 0;
  },
};
