import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { parseRepositoryTag } from '../format/text.js';
import { seg } from '../targets.js';

/** `berth tag IMAGE[:TAG] NAME[:TAG]`: adds a name to an image (an existing name needs -f). */
export const tagCommand: Command = {
  name: 'tag',
  signature: 'IMAGE[:TAG] [REGISTRYHOST/][USERNAME/]NAME[:TAG]',
  description: 'Tag an image into a repository',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const force = fs.bool(['f', '#force', '-force'], false, 'Force');
    const [image, target] = parseCommandFlags(ctx, this, fs, argv, { exact: 2 }) as [string, string];
    const [repo, tag] = parseRepositoryTag(target);
    await (await ctx.client()).json('POST', `/images/${seg(image)}/tag`, {
      // force=0 asks for the book's conflict on an existing tag (newer clients never send it).
      query: { repo, tag: tag || undefined, force: force.value },
    });
    return 0;
  },
};
