import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';

const IPC_SYSCTLS = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

/**
 * runc's sysctl validator: only sysctls of a namespace the container has its own of (ipc, net)
 * may be set; the messages are runc's.
 */
export function verifySysctls(h: Pick<HostConfig, 'Sysctls' | 'IpcMode' | 'NetworkMode'>): void {
  for (const key of Object.keys(h.Sysctls ?? {})) {
    if (IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.')) {
      if (h.IpcMode === 'host') throw new InvalidParameterError(`sysctl ${JSON.stringify(key)} is not allowed in the hosts ipc namespace`);
      continue;
    }
    if (key.startsWith('net.')) {
      if (h.NetworkMode === 'host') throw new InvalidParameterError(`sysctl ${JSON.stringify(key)} is not allowed in the hosts network namespace`);
      continue;
    }
    throw new InvalidParameterError(`sysctl ${JSON.stringify(key)} is not in a separate kernel namespace`);
  }
}
