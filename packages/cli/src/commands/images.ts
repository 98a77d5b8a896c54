import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { formatImages } from '../format/images.js';
import type { ImageEntry } from '../format/images.js';
import { filtersParam } from '../filterflags.js';

/** `berth images [NAME]`: the image list in 1.7's table (one row per tag) or IDs with -q. */
export const imagesCommand: Command = {
  name: 'images',
  signature: '[REPOSITORY]',
  description: 'List images',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const quiet = fs.bool(['q', '-quiet'], false, 'Only show numeric IDs');
    const all = fs.bool(['a', '-all'], false, 'Show all images (default hides intermediate images)');
    const digests = fs.bool(['-digests'], false, 'Show digests');
    const noTrunc = fs.bool(['#notrunc', '-no-trunc'], false, "Don't truncate output");
    const filters = fs.list(['f', '-filter'], 'Filter output based on conditions provided');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { max: 1 });
    const client = await ctx.client();
    const images = await client.json<ImageEntry[]>('GET', '/images/json', {
      query: {
        all: all.value || undefined,
        filters: filtersParam(name === undefined ? filters.value : [...filters.value, `reference=${name}`]),
      },
    });
    ctx.stdout.write(formatImages(images, { quiet: quiet.value, noTrunc: noTrunc.value, digests: digests.value, now: Date.now() }));
    return 0;
  },
};
