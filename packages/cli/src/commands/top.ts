import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { TabWriter } from '../tabwriter.js';
import { seg } from '../targets.js';

/** `berth top CONTAINER [ps OPTIONS]`: the daemon's ps output for the container as a table. */
export const topCommand: Command = {
  name: 'top',
  signature: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  async run(ctx, argv) {
    const [name, ...psArgs] = parseCommandFlags(ctx, this, commandFlags(this), argv, { min: 1 }) as [string, ...string[]];
    const client = await ctx.client();
    const top = await client.json<{ Titles: string[]; Processes: string[][] }>('GET', `/containers/${seg(name)}/top`, {
      query: { ps_args: psArgs.length > 0 ? psArgs.join(' ') : undefined },
    });
    let out = '';
    const w = new TabWriter((s) => (out += s));
    w.write(`${top.Titles.join('\t')}\n`);
    for (const p of top.Processes) w.write(`${p.join('\t')}\n`);
    w.flush();
    ctx.stdout.write(out);
    return 0;
  },
};
