import type { ContainerConfig } from '@berth/api-types';

/** The part of a Config that an image contributes to a container created from it. */
export type MergeableConfig = Pick<
  ContainerConfig,
  'User' | 'ExposedPorts' | 'Env' | 'Cmd' | 'Entrypoint' | 'WorkingDir' | 'Volumes'
>;

const envKey = (entry: string): string => entry.split('=', 1)[0] as string;

/**
 * Docker's `runconfig.Merge`: fills a user's config from the image's, field by field. Only
 * User, ExposedPorts (union), Env (image entries whose key the user did not set), Cmd and
 * Entrypoint, WorkingDir and Volumes (union) are taken; everything else stays the user's.
 *
 * Entrypoint: a user entrypoint with elements discards the image's Cmd and Entrypoint. An
 * empty one (`[]`, `--entrypoint ""`) drops the image entrypoint but keeps its Cmd; a null
 * one inherits both. The same merge applies to commit, with the container's config as the
 * "image" side.
 */
export function mergeConfig<T extends MergeableConfig>(user: T, image: MergeableConfig): T {
  const out: T = { ...user };
  if (!out.User) out.User = image.User;

  const userPorts = Object.keys(user.ExposedPorts ?? {});
  if (userPorts.length === 0) out.ExposedPorts = image.ExposedPorts;
  else if (image.ExposedPorts) out.ExposedPorts = { ...image.ExposedPorts, ...user.ExposedPorts };

  const userEnv = user.Env ?? [];
  if (userEnv.length === 0) out.Env = image.Env;
  else {
    const keys = new Set(userEnv.map(envKey));
    out.Env = [...userEnv, ...(image.Env ?? []).filter((e) => !keys.has(envKey(e)))];
  }

  if ((user.Entrypoint ?? []).length === 0) {
    if ((user.Cmd ?? []).length === 0) out.Cmd = image.Cmd;
    if (user.Entrypoint === null) out.Entrypoint = image.Entrypoint;
  }

  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir;

  if (Object.keys(user.Volumes ?? {}).length === 0) out.Volumes = image.Volumes;
  else out.Volumes = { ...user.Volumes, ...image.Volumes };
  return out;
}
