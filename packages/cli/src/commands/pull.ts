import type { Writable } from 'node:stream';
import { parseReference } from '@berth/registry';
import type { EngineClient } from '../client/client.js';
import type { CliIO, Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { displayJSONMessages } from '../format/progress.js';
import { registryAuthHeader } from '../registry-auth.js';

/** Shows a JSON-lines stream on `out` as docker does: bars on a terminal, plain lines otherwise. */
export function showProgress(io: CliIO, messages: AsyncIterable<unknown>, out: Writable & { isTTY?: boolean; columns?: number }): Promise<void> {
  return displayJSONMessages(messages, out, { terminal: out.isTTY === true, ...(out.columns ? { columns: out.columns } : {}) });
}

/**
 * `POST /images/create?fromImage=` with the registry's stored credentials, progress on `out`.
 * `image` carries its tag or digest (`busybox:latest`, `app@sha256:…`).
 */
export async function pullImage(
  io: CliIO,
  client: EngineClient,
  image: string,
  out: Writable & { isTTY?: boolean; columns?: number },
  platform = '',
): Promise<void> {
  const messages = client.jsonLines('POST', '/images/create', {
    query: { fromImage: image, platform: platform || undefined },
    headers: { 'X-Registry-Auth': await registryAuthHeader(io, image) },
  });
  await showProgress(io, messages, out);
}

/** `berth pull NAME[:TAG|@DIGEST]`: `latest` when neither is given (every tag with -a); the full name at the end. */
export const pullCommand: Command = {
  name: 'pull',
  signature: 'NAME[:TAG|@DIGEST]',
  description: 'Pull an image or a repository from a registry',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const allTags = fs.bool(['a', '-all-tags'], false, 'Download all tagged images in the repository');
    const quiet = fs.bool(['q', '-quiet'], false, 'Suppress verbose output');
    const platform = fs.string(['-platform'], ctx.env['DOCKER_DEFAULT_PLATFORM'] ?? '', 'Set platform if server is multi-platform capable');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const ref = parseReference(name);
    let image = name;
    if (allTags.value) {
      if (ref.tag !== undefined || ref.digest !== undefined) throw new Error("tag can't be used with --all-tags/-a");
    } else if (ref.tag === undefined && ref.digest === undefined) {
      image = `${name}:latest`;
      if (!quiet.value) ctx.stdout.write('Using default tag: latest\n');
    }
    const client = await ctx.client();
    const out = quiet.value ? discard() : ctx.stdout;
    await pullImage(ctx, client, image, out, platform.value);
    const full = parseReference(image);
    ctx.stdout.write(`${full.domain}/${full.path}${full.tag !== undefined ? `:${full.tag}` : ''}${full.digest !== undefined ? `@${full.digest}` : ''}\n`);
    return 0;
  },
};

/** A sink for progress nobody should see (`--quiet`). */
export function discard(): Writable & { isTTY?: boolean } {
  return { write: () => true } as unknown as Writable;
}
