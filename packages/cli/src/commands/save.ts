import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { tarDestination, writeTar } from '../tarout.js';

/** `berth save [-o FILE] IMAGE...`: images with their parents and names as one tar. */
export const saveCommand: Command = {
  name: 'save',
  signature: 'IMAGE [IMAGE...]',
  description: 'Save an image(s) to a tar archive (streamed to STDOUT by default)',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const output = fs.string(['o', '-output'], '', 'Write to an file, instead of STDOUT');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const dest = tarDestination(ctx, output.value);
    const res = await (await ctx.client()).request('GET', '/images/get', { query: { names } });
    await writeTar(res, dest(), ctx);
    return 0;
  },
};
