import type { Resources } from '@berth/libcontainer';
import { throttleDevices } from './devices.js';
import type { ResourceFields } from './verify.js';

/** The CFS period `--cpus` uses (Docker's 100 ms). */
const NANO_CPUS_PERIOD = 100000;

/** The cgroup limits of a HostConfig, as libcontainer writes them (v1 files or their v2 equivalents). */
export function cgroupResources(h: ResourceFields): Resources {
  const r: Resources = {};
  if (h.Memory > 0) r.memory = h.Memory;
  if (h.MemorySwap !== 0) r.memorySwap = h.MemorySwap;
  if (h.MemoryReservation > 0) r.memoryReservation = h.MemoryReservation;
  if (h.MemorySwappiness !== null && h.MemorySwappiness !== undefined) r.memorySwappiness = h.MemorySwappiness;
  if (h.OomKillDisable) r.oomKillDisable = true;
  if (h.CpuShares > 0) r.cpuShares = h.CpuShares;
  if (h.CpuPeriod > 0) r.cpuPeriod = h.CpuPeriod;
  if (h.CpuQuota > 0) r.cpuQuota = h.CpuQuota;
  if (h.NanoCpus > 0) {
    r.cpuPeriod = NANO_CPUS_PERIOD;
    r.cpuQuota = Math.round((h.NanoCpus * NANO_CPUS_PERIOD) / 1e9);
  }
  if (h.CpusetCpus) r.cpusetCpus = h.CpusetCpus;
  if (h.CpusetMems) r.cpusetMems = h.CpusetMems;
  if (h.BlkioWeight > 0) r.blkioWeight = h.BlkioWeight;
  if (h.BlkioDeviceReadBps.length > 0) r.blkioReadBps = throttleDevices(h.BlkioDeviceReadBps);
  if (h.BlkioDeviceWriteBps.length > 0) r.blkioWriteBps = throttleDevices(h.BlkioDeviceWriteBps);
  if (h.BlkioDeviceReadIOps.length > 0) r.blkioReadIops = throttleDevices(h.BlkioDeviceReadIOps);
  if (h.BlkioDeviceWriteIOps.length > 0) r.blkioWriteIops = throttleDevices(h.BlkioDeviceWriteIOps);
  if (h.PidsLimit) r.pidsLimit = h.PidsLimit;
  return r;
}
