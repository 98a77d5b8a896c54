import type { ContainerConfig, HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import type { SysInfo } from '../resources/sysinfo.js';
import { securityOptions } from '../resources/security.js';
import { verifySysctls } from '../resources/sysctls.js';
import { verifyResources } from '../resources/verify.js';

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
  kernel: SysInfo,
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
  // Docker's adaptContainerSettings: -m alone allows as much swap again.
  if (host.Memory > 0 && host.MemorySwap === 0) host.MemorySwap = host.Memory * 2;
  warnings.push(...verifyResources(host, kernel));
  warnings.push(...securityOptions(host.SecurityOpt ?? [], kernel).warnings);
  verifySysctls(host);
  if (host.ShmSize < 0) throw new InvalidParameterError('SHM size can not be less than 0');
  if (host.OomScoreAdj < -1000 || host.OomScoreAdj > 1000) {
    throw new InvalidParameterError(`Invalid value ${host.OomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  }
  if (host.AutoRemove && host.RestartPolicy.Name !== 'no' && host.RestartPolicy.Name !== '') {
    throw new InvalidParameterError("can't create 'AutoRemove' container with restart policy");
  }
  if (!config.NetworkDisabled && kernel.ipv4ForwardingDisabled) {
    warnings.push('IPv4 forwarding is disabled. Networking will not work.');
  }
  return warnings;
}
