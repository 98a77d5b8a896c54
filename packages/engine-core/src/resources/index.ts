export { cgroupResources } from './cgroup.js';
export { hostDevices, mappedDevices, majorMinor, throttleDevices } from './devices.js';
export { securityOptions, type SecurityOptions } from './security.js';
export { verifySysctls } from './sysctls.js';
export { probeSysInfo, sysInfoWarnings, type SysInfo } from './sysinfo.js';
export { containerUser } from './user.js';
export { MIN_MEMORY, parseCpuset, verifyResources, type ResourceFields } from './verify.js';
export { statsFrames, statsJson, stringifyIntegers, type StatsOptions, type StatsSampler } from './stats.js';
export { updatedHostConfig, type UpdatedHostConfig } from './update.js';
