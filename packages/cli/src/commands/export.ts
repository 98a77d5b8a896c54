import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';
import { tarDestination, writeTar } from '../tarout.js';

/** `berth export [-o FILE] CONTAINER`: the container's filesystem as a tar. */
export const exportCommand: Command = {
  name: 'export',
  signature: 'CONTAINER',
  description: 'Export the contents of a filesystem as a tar archive to STDOUT',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const output = fs.string(['o', '-output'], '', 'Write to a file, instead of STDOUT');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const dest = tarDestination(ctx, output.value);
    const res = await (await ctx.client()).request('GET', `/containers/${seg(name)}/export`);
    await writeTar(res, dest(), ctx);
    return 0;
  },
};
