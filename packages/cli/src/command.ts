import type { Writable } from 'node:stream';
import type { EngineClient } from './client/client.js';
import { FlagError, FlagSet, HelpRequested } from './flags.js';
import type { TtyInput, TtyOutput } from './term.js';

/** The process streams and environment a command runs with (injectable for tests). */
export interface CliIO {
  stdin: NodeJS.ReadableStream & TtyInput;
  stdout: Writable & Partial<TtyOutput>;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext extends CliIO {
  /** The Engine API client for the chosen daemon (started on first use when it is the default one). */
  client(): Promise<EngineClient>;
}

/** One `berth <name>` command, as docker 1.7's `cli.Subcmd(name, signature, description)`. */
export interface Command {
  name: string;
  /** The arguments part of the usage line, e.g. `CONTAINER [CONTAINER...]`. */
  signature: string;
  description: string;
  /** The line in `berth --help`'s command list when the description is longer (docker's cli.go list). */
  summary?: string;
  run(ctx: CommandContext, argv: string[]): Promise<number>;
}

/** Ends a command with an exit code after its message has been printed. */
export class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitError';
  }
}

/** Exit code for the CLI's own errors (bad flags), as docker since 1.10. */
export const EXIT_CLI_ERROR = 125;

/** The flag set of a command, with docker's hidden `--help` flag. */
export function commandFlags(cmd: Command): FlagSet {
  const fs = new FlagSet(cmd.name);
  fs.bool(['#help', '-help'], false, 'Print usage');
  return fs;
}

/** `\nUsage: berth <name> [OPTIONS] <signature>\n\n<description>\n\n<flags>` (1.7's Subcmd usage). */
export function commandUsage(cmd: Command, fs: FlagSet): string {
  const options = fs.hasVisibleFlags ? ' [OPTIONS]' : '';
  const signature = cmd.signature ? ` ${cmd.signature}` : '';
  return `\nUsage: berth ${cmd.name}${options}${signature}\n\n${cmd.description}\n\n${fs.defaults()}`;
}

export type Arity = { exact: number } | { min: number } | { max: number };

function arityProblem(name: string, count: number, arity: Arity): string | undefined {
  const args = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if ('exact' in arity && count !== arity.exact) return `"${name}" requires ${args(arity.exact)}`;
  if ('min' in arity && count < arity.min) return `"${name}" requires a minimum of ${args(arity.min)}`;
  if ('max' in arity && count > arity.max) return `"${name}" requires a maximum of ${args(arity.max)}`;
  return undefined;
}

/**
 * Parses a command's flags the way docker 1.7's ParseFlags does: help → usage on stdout, exit
 * 0; a bad flag → the error and `See 'berth <cmd> --help'.` on stderr, exit 125; a wrong
 * number of arguments → `berth: "<cmd>" requires …` on stderr, exit 1.
 */
export function parseCommandFlags(ctx: CliIO, cmd: Command, fs: FlagSet, argv: string[], arity?: Arity): string[] {
  let args: string[];
  try {
    args = fs.parse(argv);
    if (fs.lookup('-help')?.value === true) throw new HelpRequested();
  } catch (err) {
    if (err instanceof HelpRequested) {
      ctx.stdout.write(commandUsage(cmd, fs));
      throw new ExitError(0);
    }
    if (err instanceof FlagError) {
      ctx.stderr.write(`${err.message}\nSee 'berth ${cmd.name} --help'.\n`);
      throw new ExitError(EXIT_CLI_ERROR);
    }
    throw err;
  }
  for (const w of fs.warnings) ctx.stderr.write(`${w}\n`);
  const problem = arity ? arityProblem(cmd.name, args.length, arity) : undefined;
  if (problem) {
    ctx.stderr.write(`berth: ${problem}. See 'berth ${cmd.name} --help'.\n`);
    throw new ExitError(1);
  }
  return args;
}
