import type { ContainerConfig } from '@berth/api-types';
import { mergeConfig } from '../config/index.js';
import { applyChanges } from './changes.js';

/**
 * The config `POST /commit` gives the new image: the container's, with the request's config
 * merged over it (Docker's runconfig.Merge: what the request sets wins, ports and volumes are
 * unions, an empty Env inherits), then the `changes` instructions applied.
 */
export function commitConfig(container: ContainerConfig, override: Partial<ContainerConfig> | undefined, changes: readonly string[]): ContainerConfig {
  let config = container;
  if (override !== undefined) {
    const user = { ...container, ...override, Cmd: override.Cmd ?? null, Entrypoint: override.Entrypoint ?? null, Env: override.Env ?? null };
    config = mergeConfig(user, container);
  }
  return applyChanges(config, changes);
}
