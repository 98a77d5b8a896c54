export { applyTar, BreakoutError, OverwriteError, type ApplyOptions } from './archive/apply.js';
export { CHANGE_KIND_CODE, formatChanges, type Change } from './archive/changes.js';
export { digestedTar, type DigestedStream } from './archive/decompress.js';
export { pathTar, treeTar } from './archive/diff.js';
export { secureJoin } from './archive/securejoin.js';
export type { WhiteoutFormat } from './archive/whiteout.js';
export { ensureSchema, openDb, type Db } from './db.js';
export { mkdirAllOwned, mkdirForRemappedRoot, pairToContainer, pairToHost, rootPair, toContainer, toHost, type IdMapping, type IdPair } from './idmap.js';
export { chainId, chainIds, sha256 } from './digest.js';
export { AufsDriver } from './drivers/aufs.js';
export type { Driver } from './drivers/driver.js';
export { Overlay2Driver } from './drivers/overlay2.js';
export { selectDriver, type DriverName } from './drivers/select.js';
export { VfsDriver } from './drivers/vfs.js';
export { LayerNotFoundError, LayerStore, type Layer, type RWLayer } from './layers.js';
export {
  ImageConflictError,
  ImageStore,
  NoSuchImageError,
  type DeleteOptions,
  type DeleteRecord,
  type Image,
  type ImageConfig,
  type ImageSummary,
} from './images.js';
export {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  familiarName,
  familiarString,
  formatReference,
  NO_BASE_IMAGE,
  parseReference,
  ReferenceError,
  ReservedNameError,
  validateRepoName,
  validateTag,
  withDefaultTag,
  type Reference,
} from './reference.js';
export { GraphStore, type CommitOptions, type OpenOptions } from './store.js';
export { loadImages, type LoadResult } from './load.js';
export { OCI_CONFIG, OCI_INDEX, OCI_LAYER, OCI_MANIFEST, saveImages, type SaveFormat, type SaveRequest } from './save.js';
