import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { formatInfo } from '../format/info.js';
import type { InfoFields } from '../format/info.js';

/** `berth info`: system-wide information from `GET /info`, in 1.7's layout. */
export const infoCommand: Command = {
  name: 'info',
  signature: '',
  description: 'Display system-wide information',
  async run(ctx, argv) {
    parseCommandFlags(ctx, this, commandFlags(this), argv, { exact: 0 });
    const info = await (await ctx.client()).json<InfoFields>('GET', '/info');
    const { stdout, stderr } = formatInfo(info);
    ctx.stdout.write(stdout);
    ctx.stderr.write(stderr);
    return 0;
  },
};
