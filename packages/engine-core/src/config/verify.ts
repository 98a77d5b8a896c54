import type { ContainerConfig, HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';

/** What the kernel supports, as the engine found it at start (Docker's `sysinfo`). */
export interface KernelSupport {
  memoryLimit: boolean;
  swapLimit: boolean;
  cpuCfsPeriod: boolean;
  cpuCfsQuota: boolean;
  oomKillDisable: boolean;
  ipv4ForwardingDisabled: boolean;
}

/** Docker's minimum `--memory`, 4 MiB. */
export const MIN_MEMORY = 4 * 1024 * 1024;

const PORT_KEY = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/;

function validPort(key: string): boolean {
  const m = PORT_KEY.exec(key);
  if (!m) return false;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  return start <= 65535 && end <= 65535 && start <= end;
}

/**
 * Docker's `verifyHostConfig` and `verifyContainerSettings`: throws InvalidParameterError
 * with Docker's message for a config the engine refuses; zeroes limits the kernel cannot
 * enforce and says so in the returned warnings. `host` is changed in place.
 */
export function verifyContainerSettings(
  config: ContainerConfig,
  host: HostConfig,
  kernel: KernelSupport,
): string[] {
  const warnings: string[] = [];
  if (config.WorkingDir !== '' && !config.WorkingDir.startsWith('/')) {
    throw new InvalidParameterError(
      `The working directory '${config.WorkingDir}' is invalid. It needs to be an absolute path.`,
    );
  }
  for (const key of Object.keys(host.PortBindings)) {
    if (!validPort(key)) throw new InvalidParameterError(`Invalid port specification: ${key}`);
  }
  if (host.Memory !== 0 && host.Memory < MIN_MEMORY) {
    throw new InvalidParameterError('Minimum memory limit allowed is 4MB');
  }
  if (host.Memory > 0 && !kernel.memoryLimit) {
    warnings.push('Your kernel does not support memory limit capabilities. Limitation discarded.');
    host.Memory = 0;
  }
  if (host.Memory > 0 && host.MemorySwap !== -1 && !kernel.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities, memory limited without swap.');
    host.MemorySwap = -1;
  }
  if (host.Memory > 0 && host.MemorySwap > 0 && host.MemorySwap < host.Memory) {
    throw new InvalidParameterError('Minimum memoryswap limit should be larger than memory limit, see usage.');
  }
  if (host.Memory === 0 && host.MemorySwap > 0) {
    throw new InvalidParameterError('You should always set the Memory limit when using Memoryswap limit, see usage.');
  }
  if (host.MemorySwappiness !== null && host.MemorySwappiness !== -1) {
    if (host.MemorySwappiness < 0 || host.MemorySwappiness > 100) {
      throw new InvalidParameterError(
        `Invalid value: ${host.MemorySwappiness}, valid memory swappiness range is 0-100`,
      );
    }
  }
  if (host.CpuPeriod > 0 && !kernel.cpuCfsPeriod) {
    warnings.push('Your kernel does not support CPU cfs period. Period discarded.');
    host.CpuPeriod = 0;
  }
  if (host.CpuQuota > 0 && !kernel.cpuCfsQuota) {
    warnings.push('Your kernel does not support CPU cfs quota. Quota discarded.');
    host.CpuQuota = 0;
  }
  if (host.BlkioWeight > 0 && (host.BlkioWeight < 10 || host.BlkioWeight > 1000)) {
    throw new InvalidParameterError('Range of blkio weight is from 10 to 1000.');
  }
  if (host.OomKillDisable && !kernel.oomKillDisable) {
    host.OomKillDisable = false;
    throw new InvalidParameterError('Your kernel does not support oom kill disable.');
  }
  if (host.AutoRemove && host.RestartPolicy.Name !== 'no' && host.RestartPolicy.Name !== '') {
    throw new InvalidParameterError("can't create 'AutoRemove' container with restart policy");
  }
  if (!config.NetworkDisabled && kernel.ipv4ForwardingDisabled) {
    warnings.push('IPv4 forwarding is disabled. Networking will not work.');
  }
  return warnings;
}
