import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';

const KIND = ['C', 'A', 'D'];

/** `berth diff CONTAINER`: `C /path`, `A /path`, `D /path` for each change of its filesystem. */
export const diffCommand: Command = {
  name: 'diff',
  signature: 'CONTAINER',
  description: "Inspect changes on a container's filesystem",
  async run(ctx, argv) {
    const [name] = parseCommandFlags(ctx, this, commandFlags(this), argv, { exact: 1 }) as [string];
    if (name === '') throw new Error('Container name cannot be empty');
    const changes = await (await ctx.client()).json<Array<{ Path: string; Kind: number }> | null>('GET', `/containers/${seg(name)}/changes`);
    ctx.stdout.write((changes ?? []).map((c) => `${KIND[c.Kind] ?? '?'} ${c.Path}\n`).join(''));
    return 0;
  },
};
