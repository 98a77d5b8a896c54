import { closeSync, existsSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { EngineClient } from '../client/client.js';
import { DaemonError } from '../client/errors.js';
import type { CliIO, Command } from '../command.js';
import { EXIT_CLI_ERROR, ExitError, commandFlags, parseCommandFlags } from '../command.js';
import type { FlagSet } from '../flags.js';
import { parseRepositoryTag } from '../format/text.js';
import { buildRunConfig, defineRunFlags, RunConfigError } from '../runconfig.js';
import type { RunConfig, RunFlags } from '../runconfig.js';
import { pullImage } from './pull.js';

/** `repo:tag` (tag `latest` by default) or `repo@digest`, as in `Unable to find image '…' locally`. */
export function imageReference(image: string): string {
  const [repo, ref] = parseRepositoryTag(image);
  if (image.includes('@')) return `${repo}@${ref}`;
  return `${repo}:${ref || 'latest'}`;
}

/** Parses run/create's command line; bad options print docker's message and `See '…--help'.`, exit 125. */
export function parseRunCommand(io: CliIO, cmd: Command, argv: string[], extra?: (fs: FlagSet) => void): { flags: RunFlags; config: RunConfig; fs: FlagSet } {
  const fs = commandFlags(cmd);
  const flags = defineRunFlags(fs);
  extra?.(fs);
  const args = parseCommandFlags(io, cmd, fs, argv, { min: 1 });
  try {
    return { flags, config: buildRunConfig(flags, args, io.env), fs };
  } catch (err) {
    if (!(err instanceof RunConfigError)) throw err;
    throw usageError(io, cmd, err.message);
  }
}

/** Prints a command-line error with the usage hint; the command exits 125. */
export function usageError(io: CliIO, cmd: Command, message: string): ExitError {
  io.stderr.write(`${message}\nSee 'berth ${cmd.name} --help'.\n`);
  return new ExitError(EXIT_CLI_ERROR);
}

/** Reserves the --cidfile before the container exists, as docker refuses to overwrite one. */
function openCidFile(path: string): number | undefined {
  if (path === '') return undefined;
  if (existsSync(path)) throw new Error(`Container ID file found, make sure the other container isn't running or delete ${path}`);
  try {
    return openSync(path, 'wx');
  } catch (err) {
    throw new Error(`Failed to create the container ID file: ${(err as Error).message}`);
  }
}

/**
 * `POST /containers/create` for a parsed run config: a missing image prints `Unable to find image
 * '<ref>' locally`, pulls it (progress on stderr) and tries once more, daemon warnings print as `WARNING: …`,
 * and the ID goes to --cidfile. Resolves to the container ID.
 */
export async function createContainer(io: CliIO, client: EngineClient, rc: RunConfig): Promise<string> {
  const cidPath = rc.body.HostConfig.ContainerIDFile;
  const cidFd = openCidFile(cidPath);
  let id: string | undefined;
  try {
    const create = () => client.json<{ Id: string; Warnings?: string[] | null }>('POST', '/containers/create', { query: { name: rc.name || undefined }, body: rc.body });
    let res: { Id: string; Warnings?: string[] | null };
    try {
      res = await create();
    } catch (err) {
      if (!(err instanceof DaemonError && err.statusCode === 404 && err.daemonMessage.includes(parseRepositoryTag(rc.body.Image)[0]))) throw err;
      io.stderr.write(`Unable to find image '${imageReference(rc.body.Image)}' locally\n`);
      await pullImage(io, client, imageReference(rc.body.Image), io.stderr);
      res = await create();
    }
    for (const w of res.Warnings ?? []) io.stderr.write(`WARNING: ${w}\n`);
    id = res.Id;
    if (cidFd !== undefined) writeSync(cidFd, id);
    return id;
  } finally {
    if (cidFd !== undefined) {
      closeSync(cidFd);
      if (id === undefined) unlinkSync(cidPath);
    }
  }
}

/** `berth create`: prints the new container's full ID. */
export const createCommand: Command = {
  name: 'create',
  signature: 'IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  async run(ctx, argv) {
    const { config } = parseRunCommand(ctx, this, argv);
    const id = await createContainer(ctx, await ctx.client(), config);
    ctx.stdout.write(`${id}\n`);
    return 0;
  },
};
