// A build stage's state and the image config it carries from step to step, with the pieces of
// Docker's classic builder that do not touch a container: env for expansion, build args, the
// `#(nop)` cache keys and the cache's config comparison.
import type { CommitRequest, Engine } from '@berth/engine-core';
import { DEFAULT_PATH_ENV, toContainerConfig } from '@berth/engine-core';

export type Config = NonNullable<CommitRequest['config']>;
type CreateRequest = Parameters<Engine['createContainer']>[0];

export interface StageState {
  /** The image the next step builds on. */
  imageId: string;
  config: Config;
  /** CMD was set in this stage (ENTRYPOINT then keeps it). */
  cmdSet: boolean;
  /** ARGs declared in this stage, with their values (undefined: declared without one). */
  args: Map<string, string | undefined>;
  /** The ARGs before the first FROM: an ARG without a value in a stage takes theirs. */
  meta: ReadonlyMap<string, string | undefined>;
  name?: string;
  /** MAINTAINER. */
  author?: string;
}

/** The config a stage starts from: the base image's, normalised, with the default PATH if it has none. */
export function stageConfig(imageConfig: Record<string, unknown> | undefined): Config {
  const config = toContainerConfig((imageConfig ?? {}) as CreateRequest);
  config.Image = '';
  if (!(config.Env ?? []).some((e) => e.startsWith('PATH='))) config.Env = [...(config.Env ?? []), DEFAULT_PATH_ENV];
  return config;
}

export const copyConfig = (c: Config): Config => structuredClone(c);

export const shellOf = (c: Config): string[] => (c.Shell && c.Shell.length > 0 ? [...c.Shell] : ['/bin/sh', '-c']);

/**
 * The Cmd a metadata step's cache key and history carry: `/bin/sh -c #(nop)  ENV a=b` (moby appends
 * `#(nop) ` and the comment as two words), or one word for ADD/COPY (`#(nop) COPY file:… in /x `).
 */
export const nopCmd = (c: Config, comment: string, oneWord = false): string[] =>
  oneWord ? [...shellOf(c), `#(nop) ${comment}`] : [...shellOf(c), '#(nop) ', comment];

/** Build args this stage may use: declared ones with a value that no ENV overrides, sorted (`k=v`). */
export function allowedArgs(state: StageState): string[] {
  const envKeys = new Set((state.config.Env ?? []).map((e) => e.split('=', 1)[0]));
  const out: string[] = [];
  for (const [k, v] of state.args) if (v !== undefined && !envKeys.has(k)) out.push(`${k}=${v}`);
  return out.sort();
}

/** What `$VAR` sees in an instruction: the args, then the env (ENV wins). */
export const expansionEnv = (state: StageState): string[] => [...allowedArgs(state), ...(state.config.Env ?? [])];

/** Sets or replaces `key=value` in an env list. */
export function setEnv(env: readonly string[] | null | undefined, key: string, value: string): string[] {
  const out = [...(env ?? [])];
  const i = out.findIndex((e) => e.split('=', 1)[0] === key);
  if (i >= 0) out[i] = `${key}=${value}`;
  else out.push(`${key}=${value}`);
  return out;
}

const sameList = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);

const sameKeys = (a: Record<string, unknown> | null | undefined, b: Record<string, unknown> | null | undefined): boolean => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b ?? {}, k));
};

/** moby's image/cache compare: the fields that make a cached step's container_config equal a probe's. */
export function sameBuildConfig(cached: Partial<Config> | undefined, probe: Config): boolean {
  if (!cached || cached.OpenStdin || probe.OpenStdin) return false;
  if (
    Boolean(cached.AttachStdout) !== probe.AttachStdout ||
    Boolean(cached.AttachStderr) !== probe.AttachStderr ||
    (cached.User ?? '') !== probe.User ||
    Boolean(cached.Tty) !== probe.Tty
  ) {
    return false;
  }
  const labelsA = cached.Labels ?? {};
  const labelsB = probe.Labels ?? {};
  return (
    sameList(cached.Cmd, probe.Cmd) &&
    sameList(cached.Env, probe.Env) &&
    sameList(cached.Entrypoint, probe.Entrypoint) &&
    sameKeys(cached.ExposedPorts, probe.ExposedPorts) &&
    sameKeys(cached.Volumes, probe.Volumes) &&
    Object.keys(labelsA).length === Object.keys(labelsB).length &&
    Object.entries(labelsA).every(([k, v]) => labelsB[k] === v)
  );
}
