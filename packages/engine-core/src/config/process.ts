import { InvalidParameterError } from '@berth/api-types';
import { shortId } from '../ids/index.js';

/** The PATH every container gets unless its config sets one. */
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docker's default hostname: the 12-character short ID. */
export function defaultHostname(id: string): string {
  return shortId(id);
}

/**
 * The process path and arguments of a container: the entrypoint's first element with the rest
 * of it and then Cmd as arguments, or Cmd alone when there is no entrypoint.
 * Throws Docker's `No command specified` when both are empty.
 */
export function entrypointAndArgs(
  entrypoint: readonly string[] | null,
  cmd: readonly string[] | null,
): { path: string; args: string[] } {
  const ep = entrypoint ?? [];
  const c = cmd ?? [];
  if (ep.length > 0) return { path: ep[0] as string, args: [...ep.slice(1), ...c] };
  if (c.length > 0) return { path: c[0] as string, args: c.slice(1) };
  throw new InvalidParameterError('No command specified');
}

/** What the container's environment depends on. */
export interface EnvContext {
  hostname: string;
  tty: boolean;
  /** The container's Config.Env after the merge with the image's. */
  env: readonly string[];
  /** Variables of linked containers (`DB_PORT=...`), placed before the container's own. */
  linkEnv?: readonly string[];
}

const keyOf = (entry: string): string => entry.split('=', 1)[0] as string;

/**
 * Docker's `ReplaceOrAppendEnvValues`: each entry of `overrides` replaces the entry of `base`
 * with the same key where it stands, or is appended.
 */
export function replaceOrAppendEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  const at = new Map(out.map((e, i) => [keyOf(e), i]));
  for (const e of overrides) {
    const i = at.get(keyOf(e));
    if (i === undefined) {
      at.set(keyOf(e), out.length);
      out.push(e);
    } else out[i] = e;
  }
  return out;
}

/**
 * The environment of the container's process (Docker's `createDaemonEnvironment`): PATH,
 * HOSTNAME and, with a TTY, TERM=xterm, then the links' variables, with the container's
 * own Env replacing or extending them. HOME is added by `withHome` once the user is known.
 */
export function containerEnv(ctx: EnvContext): string[] {
  const base = [DEFAULT_PATH_ENV, `HOSTNAME=${ctx.hostname}`];
  if (ctx.tty) base.push('TERM=xterm');
  base.push(...(ctx.linkEnv ?? []));
  return replaceOrAppendEnv(base, ctx.env);
}

/** Adds HOME (the user's directory from the image's /etc/passwd, `/` if none) unless set. */
export function withHome(env: readonly string[], home: string): string[] {
  return env.some((e) => keyOf(e) === 'HOME') ? [...env] : [...env, `HOME=${home || '/'}`];
}
