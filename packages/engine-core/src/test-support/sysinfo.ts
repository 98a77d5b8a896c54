import type { SysInfo } from '../resources/index.js';

/** A host that supports every limit except the blkio weights (as this v1 test host). */
export const TEST_SYSINFO: SysInfo = {
  cgroupVersion: 1,
  memoryLimit: true,
  swapLimit: true,
  memoryReservation: true,
  memorySwappiness: true,
  oomKillDisable: true,
  kernelMemoryTCP: true,
  pidsLimit: true,
  cpuShares: true,
  cpuCfs: true,
  cpuset: true,
  cpus: '0-1',
  mems: '0',
  blkioWeight: false,
  blkioWeightDevice: false,
  blkioReadBpsDevice: true,
  blkioWriteBpsDevice: true,
  blkioReadIOpsDevice: true,
  blkioWriteIOpsDevice: true,
  ipv4ForwardingDisabled: false,
  appArmor: false,
  seLinux: false,
};
