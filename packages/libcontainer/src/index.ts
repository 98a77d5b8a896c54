export { ADDON_ABI_VERSION, addon, monitorPath, type NativeAddon } from './native.js';
export { MNT, MS, getXattr, listXattrs, mknod, mount, setXattr, unmount, type MountOptions } from './mount.js';
export { parseMountOptions } from './mount-options.js';
export {
  IFF,
  addAddress,
  addRoute,
  createBridge,
  createNetns,
  createVethPair,
  deleteAddress,
  deleteLink,
  deleteNetns,
  deleteRoute,
  getLink,
  listAddresses,
  listLinks,
  listRoutes,
  moveLinkToNetns,
  renameLink,
  setLink,
  setLinkDown,
  setLinkMac,
  setLinkMaster,
  setLinkMtu,
  setLinkUp,
  type Address,
  type Link,
  type LinkChanges,
  type NetlinkOptions,
  type NetnsRef,
  type OperState,
  type Route,
  type RouteSpec,
  type Scope,
  type VethOptions,
} from './netlink.js';
export { macFromIPv4, parseCidr, type Cidr } from './netlink-ip.js';
export { ipForwarding, setIpForwarding } from './netlink-sysctl.js';
export { Container, type Attachment, type AttachOptions, type ContainerState, type ContainerStats, type CreateOptions, type ExitStatus } from './container.js';
export { ContainerError } from './errors.js';
export { execIn, type ExecOptions, type ExecProcess, type ExecResult, type ExecTarget } from './exec.js';
export type * from './spec.js';
export { readIdEntries, resolveUser, type IdEntry } from './user.js';
export { CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, capabilityMask, capabilityNames, hostBoundingSet } from './capabilities.js';
export { resolveCapabilities, rlimitNumber } from './config.js';
export {
  DEFAULT_DEVICES, DEFAULT_DEVICE_RULES, DEFAULT_MASKED_PATHS, DEFAULT_MOUNTS, DEFAULT_PATH_ENV, DEFAULT_READONLY_PATHS,
} from './defaults.js';
export { cgroupHost, cgroupMounts, openCgroup, removeCgroupTree, useCgroupVersion, type BlkioEntry, type Cgroup, type CgroupHost, type CgroupStats, type CpuStats, type MemoryStats } from './cgroups/index.js';
export { compileProfile, compileSeccomp, DEFAULT_SECCOMP_PROFILE } from './seccomp/index.js';
export type { SeccompAction, SeccompArg, SeccompOperator, SeccompProfile, SeccompRule } from './seccomp/index.js';
export type { NetworkStats } from './network-stats.js';
export { openpty, setns, type Pty } from './process.js';
