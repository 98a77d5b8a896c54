import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { parseRepositoryTag } from '../format/text.js';

/** `berth commit [-a -m -c -p] CONTAINER [REPOSITORY[:TAG]]`: prints the new image's ID. */
export const commitCommand: Command = {
  name: 'commit',
  signature: 'CONTAINER [REPOSITORY[:TAG]]',
  description: "Create a new image from a container's changes",
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const author = fs.string(['a', '#author', '-author'], '', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")');
    const changes = fs.list(['c', '-change'], 'Apply specified Dockerfile instructions while committing the image');
    const message = fs.string(['m', '#message', '-message'], '', 'Commit message');
    const pause = fs.bool(['p', '-pause'], true, 'Pause container during commit');
    const args = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    if (args.length > 2) {
      ctx.stderr.write(`berth: "commit" requires a maximum of 2 arguments. See 'berth commit --help'.\n`);
      return 1;
    }
    const [container, repository] = args as [string, string | undefined];
    const [repo, tag] = repository === undefined ? ['', ''] : parseRepositoryTag(repository);
    const res = await (await ctx.client()).json<{ Id: string }>('POST', '/commit', {
      query: {
        container,
        repo: repo || undefined,
        tag: tag || undefined,
        comment: message.value || undefined,
        author: author.value || undefined,
        changes: changes.value,
        pause: pause.value,
      },
    });
    // The book prints the bare 64-hex ID.
    ctx.stdout.write(`${res.Id.replace(/^sha256:/, "")}\n`);
    return 0;
  },
};
