export { remapsContainer, verifyUsernsSettings, withUserNamespace } from './container.js';
export { DEFAULT_REMAP_USER, HOST_USERNS_FILES, setupRemappedRoot, usernsFilesFromEnv, type RemapOptions, type RemappedRoot, type UsernsFiles } from './remap.js';
export { chownToRemappedRoot, prepareRemappedDirs, remappedDaemonRoot } from './root.js';
export { idMapOf, nextRangeStart, parseSubIds, type SubIdRange } from './subids.js';
// what the builder needs to write files for a remapped root
export { pairToHost } from '@berth/graph-aufs';
