import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from '../command.js';
import { ExitError, commandFlags, parseCommandFlags } from '../command.js';
import { parseRepositoryTag } from '../format/text.js';

interface ProgressMessage {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * `berth import URL|-|FILE [REPOSITORY[:TAG]]`: a tarball (from stdin, a file, or a URL the daemon
 * fetches) becomes a one-layer image; prints the daemon's status lines, ending with the image ID.
 */
export const importCommand: Command = {
  name: 'import',
  signature: 'URL|- [REPOSITORY[:TAG]]',
  description:
    'Create an empty filesystem image and import the contents of the\ntarball (.tar, .tar.gz, .tgz, .bzip, .tar.xz, .txz) into it, then\noptionally tag it.',
  summary: 'Import the contents from a tarball to create a filesystem image',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const changes = fs.list(['c', '-change'], 'Apply specified Dockerfile instructions while importing the image');
    const args = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    if (args.length > 2) {
      ctx.stderr.write(`berth: "import" requires a maximum of 2 arguments. See 'berth import --help'.\n`);
      throw new ExitError(1);
    }
    const [src, repository] = args as [string, string | undefined];
    const [repo, tag] = repository === undefined ? ['', ''] : parseRepositoryTag(repository);
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(src);
    const body = src === '-' ? Readable.from(ctx.stdin) : isUrl ? undefined : createReadStream(src);
    const client = await ctx.client();
    const messages = client.jsonLines('POST', '/images/create', {
      query: { fromSrc: isUrl ? src : '-', repo: repo || undefined, tag: tag || undefined, changes: changes.value },
      ...(body ? { body, headers: { 'Content-Type': 'application/x-tar' } } : {}),
    });
    for await (const m of messages) {
      const msg = m as ProgressMessage;
      const error = msg.errorDetail?.message ?? msg.error;
      if (error !== undefined) throw new Error(error);
      if (msg.status) ctx.stdout.write(`${msg.status}\n`);
    }
    return 0;
  },
};
