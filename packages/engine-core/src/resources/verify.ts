import { cpus } from 'node:os';
import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import type { SysInfo } from './sysinfo.js';

/** Docker's smallest memory limit and reservation (linuxMinMemory), 6 MiB. */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** The HostConfig fields `docker update` may change as well as create. */
export type ResourceFields = Pick<
  HostConfig,
  | 'Memory'
  | 'MemorySwap'
  | 'MemoryReservation'
  | 'MemorySwappiness'
  | 'OomKillDisable'
  | 'PidsLimit'
  | 'NanoCpus'
  | 'CpuShares'
  | 'CpuPeriod'
  | 'CpuQuota'
  | 'CpusetCpus'
  | 'CpusetMems'
  | 'BlkioWeight'
  | 'BlkioWeightDevice'
  | 'BlkioDeviceReadBps'
  | 'BlkioDeviceWriteBps'
  | 'BlkioDeviceReadIOps'
  | 'BlkioDeviceWriteIOps'
>;

const fail = (message: string): never => {
  throw new InvalidParameterError(message);
};

/** Parses a cpuset list (`0-2,4`) into its members; undefined when malformed. */
export function parseCpuset(list: string): Set<number> | undefined {
  const out = new Set<number>();
  if (list === '') return out;
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return undefined;
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}

function checkCpuset(requested: string, available: string, what: 'cpus' | 'mems'): void {
  if (requested === '') return;
  const want = parseCpuset(requested);
  if (!want) fail(`Invalid value ${requested} for cpuset ${what}: invalid format: ${requested}`);
  const have = parseCpuset(available) ?? new Set<number>();
  for (const n of want ?? []) {
    if (!have.has(n)) {
      fail(
        what === 'cpus'
          ? `Requested CPUs are not available - requested ${requested}, available: ${available}`
          : `Requested memory nodes are not available - requested ${requested}, available: ${available}`,
      );
    }
  }
}

/**
 * Docker's verifyPlatformContainerResources: throws InvalidParameterError with Docker's message
 * for limits it refuses, and drops (with Docker's warning) those this host cannot enforce.
 * `r` is changed in place; `update` relaxes the swap-without-memory rule as `docker update` does.
 */
export function verifyResources(r: ResourceFields, sys: SysInfo, update = false): string[] {
  const warnings: string[] = [];
  if (r.Memory !== 0 && r.Memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (r.Memory > 0 && !sys.memoryLimit) {
    warnings.push('Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.Memory = 0;
    r.MemorySwap = -1;
  }
  if (r.Memory > 0 && r.MemorySwap !== -1 && !sys.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory) {
    fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (r.Memory === 0 && r.MemorySwap > 0 && !update) {
    fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  if (r.MemorySwappiness !== null && !sys.memorySwappiness) {
    warnings.push('Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.');
    r.MemorySwappiness = null;
  }
  if (r.MemorySwappiness !== null && (r.MemorySwappiness < 0 || r.MemorySwappiness > 100)) {
    fail(`Invalid value: ${r.MemorySwappiness}, valid memory swappiness range is 0-100`);
  }
  if (r.MemoryReservation > 0 && !sys.memoryReservation) {
    warnings.push('Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.MemoryReservation = 0;
  }
  if (r.MemoryReservation > 0 && r.MemoryReservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation) {
    fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (r.OomKillDisable && !sys.oomKillDisable) {
    warnings.push('Your kernel does not support OomKillDisable. OomKillDisable discarded.');
    r.OomKillDisable = false;
  }
  if (r.OomKillDisable && r.Memory === 0) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  if (r.PidsLimit !== null && !sys.pidsLimit) {
    // Docker drops any value, unlimited too, but warns only of a limit
    if (r.PidsLimit > 0) warnings.push('Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.');
    r.PidsLimit = null;
  }

  if (r.NanoCpus > 0 && r.CpuPeriod > 0) fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (r.NanoCpus > 0 && r.CpuQuota > 0) fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (r.NanoCpus > 0 && !sys.cpuCfs) {
    fail('NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted');
  }
  const ncpu = cpus().length;
  if (r.NanoCpus < 0 || r.NanoCpus > ncpu * 1e9) {
    fail(`Range of CPUs is from 0.01 to ${ncpu}.00, as there are only ${ncpu} CPUs available`);
  }
  if (r.CpuShares > 0 && !sys.cpuShares) {
    warnings.push('Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.');
    r.CpuShares = 0;
  }
  if ((r.CpuPeriod !== 0 || r.CpuQuota !== 0) && !sys.cpuCfs) {
    warnings.push('Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.');
    r.CpuPeriod = 0;
    r.CpuQuota = 0;
  }
  if (r.CpuPeriod !== 0 && (r.CpuPeriod < 1000 || r.CpuPeriod > 1000000)) {
    fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (r.CpuQuota > 0 && r.CpuQuota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');

  if ((r.CpusetCpus !== '' || r.CpusetMems !== '') && !sys.cpuset) {
    warnings.push('Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    r.CpusetCpus = '';
    r.CpusetMems = '';
  }
  checkCpuset(r.CpusetCpus, sys.cpus, 'cpus');
  checkCpuset(r.CpusetMems, sys.mems, 'mems');

  if (r.BlkioWeight > 0 && !sys.blkioWeight) {
    warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    r.BlkioWeight = 0;
  }
  if (r.BlkioWeight > 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000)) fail('Range of blkio weight is from 10 to 1000');
  if (r.BlkioWeightDevice.length > 0 && !sys.blkioWeightDevice) {
    warnings.push('Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
    r.BlkioWeightDevice = [];
  }
  const throttles = [
    ['BlkioDeviceReadBps', sys.blkioReadBpsDevice, 'BPS Block I/O read limit', 'Block I/O BPS read limit'],
    ['BlkioDeviceWriteBps', sys.blkioWriteBpsDevice, 'BPS Block I/O write limit', 'Block I/O BPS write limit'],
    ['BlkioDeviceReadIOps', sys.blkioReadIOpsDevice, 'IOPS Block read limit', 'Block I/O IOPS read limit'],
    ['BlkioDeviceWriteIOps', sys.blkioWriteIOpsDevice, 'IOPS Block write limit', 'Block I/O IOPS write limit'],
  ] as const;
  for (const [field, supported, what, discarded] of throttles) {
    if (r[field].length > 0 && !supported) {
      warnings.push(`Your kernel does not support ${what} or the cgroup is not mounted. ${discarded} discarded.`);
      r[field] = [];
    }
  }
  return warnings;
}
