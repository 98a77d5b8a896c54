export { mergeConfig, type MergeableConfig } from './merge.js';
export {
  DEFAULT_PATH_ENV,
  containerEnv,
  defaultHostname,
  entrypointAndArgs,
  replaceOrAppendEnv,
  withHome,
  type EnvContext,
} from './process.js';
export {
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  DEFAULT_SHM_SIZE,
  parseRestartPolicy,
  toContainerConfig,
  toHostConfig,
  validateRestartPolicy,
  type HostConfigDefaults,
} from './normalize.js';
export { verifyContainerSettings } from './verify.js';
