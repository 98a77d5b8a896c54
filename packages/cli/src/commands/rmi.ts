import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { forEachTarget, seg } from '../targets.js';

type DeleteItem = { Untagged?: string; Deleted?: string };

/** `berth rmi`: removes each image, printing its `Untagged:` and `Deleted:` lines. */
export const rmiCommand: Command = {
  name: 'rmi',
  signature: 'IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const force = fs.bool(['f', '-force'], false, 'Force removal of the image');
    const noPrune = fs.bool(['-no-prune'], false, 'Do not delete untagged parents');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const client = await ctx.client();
    await forEachTarget(ctx, names, 'remove images', async (name) => {
      const items = await client.json<DeleteItem[]>('DELETE', `/images/${seg(name)}`, {
        query: { force: force.value || undefined, noprune: noPrune.value || undefined },
      });
      return (items ?? [])
        .map((i) => (i.Deleted !== undefined ? `Deleted: ${i.Deleted}\n` : `Untagged: ${i.Untagged ?? ''}\n`))
        .join('');
    });
    return 0;
  },
};
