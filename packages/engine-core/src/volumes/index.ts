export { EngineVolumes, mountsForApi, type MountsRequest, type VolumeUser } from './service.js';
export type { MountPointRecord } from './types.js';
export { validateVolumeName, ANONYMOUS_LABEL } from './names.js';
