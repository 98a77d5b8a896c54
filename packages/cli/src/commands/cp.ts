import { lstatSync, mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import type { EngineClient } from '../client/client.js';
import { DaemonError } from '../client/errors.js';
import type { Command, CommandContext } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';
import { writeTar } from '../tarout.js';

/** `CONTAINER:PATH` → [container, path]; a local path (absolute, or without `:`) → null. */
export function splitCpArg(arg: string): [string, string] | null {
  if (arg.startsWith('/') || arg.startsWith('.')) return null;
  const colon = arg.indexOf(':');
  if (colon < 0) return null;
  return [arg.slice(0, colon), arg.slice(colon + 1)];
}

interface PathStat {
  name: string;
  mode: number;
  linkTarget: string;
}

const GO_DIR = 2 ** 31;

/** The container path's stat (the symlink's target's when it is one); null when it does not exist. */
async function statInContainer(client: EngineClient, container: string, path: string): Promise<PathStat | null> {
  try {
    const res = await client.request('HEAD', `/containers/${seg(container)}/archive`, { query: { path } });
    res.resume();
    const header = res.headers['x-docker-container-path-stat'];
    const stat = JSON.parse(Buffer.from(String(header ?? ''), 'base64').toString() || '{}') as PathStat;
    return stat.linkTarget ? await statInContainer(client, container, stat.linkTarget) : stat;
  } catch (e) {
    if (e instanceof DaemonError && e.statusCode === 404) return null;
    throw e;
  }
}

/** Container to host: a tar on stdout (`-`), else unpacked into HOSTDIR, created if missing (the book's 1.7 rule). */
async function copyFromContainer(ctx: CommandContext, container: string, path: string, dest: string): Promise<void> {
  const client = await ctx.client();
  const res = await client.request('GET', `/containers/${seg(container)}/archive`, { query: { path } });
  if (dest === '-') {
    await writeTar(res, ctx.stdout, ctx);
    return;
  }
  mkdirSync(dest, { recursive: true });
  const { applyTar } = await import('@berth/engine-core');
  await applyTar(res, dest, 'aufs');
}

/** Host to container: a tar from stdin (`-`) into a directory, else the file or directory under the destination's rules. */
async function copyToContainer(ctx: CommandContext, src: string, container: string, path: string): Promise<void> {
  const client = await ctx.client();
  const put = (dir: string, body: Readable) =>
    client.json('PUT', `/containers/${seg(container)}/archive`, { query: { path: dir, noOverwriteDirNonDir: true }, body, headers: { 'Content-Type': 'application/x-tar' } });
  if (src === '-') {
    await put(path, Readable.from(ctx.stdin));
    return;
  }
  const local = lstatSync(src);
  const dest = await statInContainer(client, container, path);
  const { pathTar } = await import('@berth/engine-core');
  const srcName = posix.basename(posix.resolve(src));
  if (dest !== null && dest.mode >= GO_DIR) {
    await put(path, pathTar(src, srcName));
    return;
  }
  if (dest === null && path.endsWith('/')) throw new Error(`Error: no such directory: ${path}`);
  if (dest !== null && local.isDirectory()) throw new Error(`Error: cannot copy directory to file: ${path}`);
  // A new name or an existing file: the source goes into the parent directory under that name.
  await put(posix.dirname(posix.join('/', path)), pathTar(src, posix.basename(path)));
}

/** `berth cp CONTAINER:PATH HOSTDIR|-` and `berth cp HOSTPATH|- CONTAINER:PATH`. */
export const cpCommand: Command = {
  name: 'cp',
  signature: 'CONTAINER:PATH HOSTDIR|-',
  description:
    "Copy files/folders from a PATH on the container to a HOSTDIR on the host\nrunning the command. Use '-' to write the data as a tar file to STDOUT.",
  async run(ctx, argv) {
    const [src, dst] = parseCommandFlags(ctx, this, commandFlags(this), argv, { exact: 2 }) as [string, string];
    const from = splitCpArg(src);
    const to = splitCpArg(dst);
    if (from !== null && to !== null) throw new Error('copying between containers is not supported');
    if (from === null && to === null) throw new Error('must specify at least one container source');
    if (from !== null) {
      if (from[1] === '') throw new Error('Error: Path not specified');
      await copyFromContainer(ctx, from[0], from[1], dst);
    } else if (to !== null) {
      if (to[1] === '') throw new Error('Error: Path not specified');
      await copyToContainer(ctx, src, to[0], to[1]);
    }
    return 0;
  },
};
