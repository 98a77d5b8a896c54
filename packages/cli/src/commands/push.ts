import { parseReference } from '@berth/registry';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';
import { registryAuthHeader } from '../registry-auth.js';
import { discard, showProgress } from './pull.js';

/** `berth push NAME[:TAG]`: `latest` unless a tag or `--all-tags` is given. */
export const pushCommand: Command = {
  name: 'push',
  signature: 'NAME[:TAG]',
  description: 'Push an image or a repository to a registry',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const allTags = fs.bool(['a', '-all-tags'], false, 'Push all tags of an image to the repository');
    const quiet = fs.bool(['q', '-quiet'], false, 'Suppress verbose output');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const ref = parseReference(name);
    if (allTags.value && ref.tag !== undefined) throw new Error(`tag can't be used with --all-tags/-a`);
    const tag = allTags.value ? '' : (ref.tag ?? 'latest');
    if (!allTags.value && ref.tag === undefined && !quiet.value) ctx.stdout.write('Using default tag: latest\n');
    const repo = ref.tag === undefined ? name : name.slice(0, name.length - ref.tag.length - 1);
    const client = await ctx.client();
    const messages = client.jsonLines('POST', `/images/${seg(repo)}/push`, {
      query: { tag: tag || undefined },
      headers: { 'X-Registry-Auth': await registryAuthHeader(ctx, name) },
    });
    if (quiet.value) {
      await showProgress(ctx, messages, discard());
      ctx.stdout.write(`${name}\n`);
    } else {
      await showProgress(ctx, messages, ctx.stdout);
    }
    return 0;
  },
};
