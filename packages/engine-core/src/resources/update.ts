import type { ContainerUpdateRequest, HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import type { Resources } from '@berth/libcontainer';
import { validateRestartPolicy } from '../config/normalize.js';
import { cgroupResources } from './cgroup.js';
import type { SysInfo } from './sysinfo.js';
import { verifyResources, type ResourceFields } from './verify.js';

export interface UpdatedHostConfig {
  hostConfig: HostConfig;
  /** What to write to the cgroup of a running container. */
  resources: Resources;
  warnings: string[];
}

/** The update's resources with Docker's zero values where the body leaves them out. */
function requested(req: ContainerUpdateRequest): ResourceFields {
  return {
    Memory: req.Memory ?? 0,
    MemorySwap: req.MemorySwap ?? 0,
    MemoryReservation: req.MemoryReservation ?? 0,
    MemorySwappiness: req.MemorySwappiness === undefined || req.MemorySwappiness === null || req.MemorySwappiness === -1 ? null : req.MemorySwappiness,
    OomKillDisable: req.OomKillDisable ?? false,
    PidsLimit: req.PidsLimit ?? null,
    NanoCpus: req.NanoCpus ?? 0,
    CpuShares: req.CpuShares ?? 0,
    CpuPeriod: req.CpuPeriod ?? 0,
    CpuQuota: req.CpuQuota ?? 0,
    CpusetCpus: req.CpusetCpus ?? '',
    CpusetMems: req.CpusetMems ?? '',
    BlkioWeight: req.BlkioWeight ?? 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
  };
}

const conflict = (message: string): never => {
  throw new InvalidParameterError(message);
};

/**
 * Docker's container.UpdateContainer: checks the update as create would (`update` rules), refuses
 * what conflicts with the limits already set, and merges the non-zero fields into a copy of the
 * HostConfig. Throws InvalidParameterError with Docker's messages, prefixed by "Cannot update container ID: ".
 */
export function updatedHostConfig(id: string, current: HostConfig, req: ContainerUpdateRequest, sys: SysInfo): UpdatedHostConfig {
  try {
    const r = requested(req);
    const warnings = verifyResources(r, sys, true);
    const h: HostConfig = structuredClone(current);
    if (r.NanoCpus > 0 && h.CpuPeriod > 0) conflict('Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set');
    if (r.NanoCpus > 0 && h.CpuQuota > 0) conflict('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
    if (r.CpuPeriod > 0 && h.NanoCpus > 0) conflict('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
    if (r.CpuQuota > 0 && h.NanoCpus > 0) conflict('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    if (r.BlkioWeight !== 0) h.BlkioWeight = r.BlkioWeight;
    if (r.CpuShares !== 0) h.CpuShares = r.CpuShares;
    if (r.NanoCpus !== 0) h.NanoCpus = r.NanoCpus;
    if (r.CpuPeriod !== 0) h.CpuPeriod = r.CpuPeriod;
    if (r.CpuQuota !== 0) h.CpuQuota = r.CpuQuota;
    if (r.CpusetCpus !== '') h.CpusetCpus = r.CpusetCpus;
    if (r.CpusetMems !== '') h.CpusetMems = r.CpusetMems;
    if (r.Memory !== 0) {
      if (r.Memory > h.MemorySwap && h.MemorySwap > 0 && r.MemorySwap === 0) {
        conflict('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
      }
      h.Memory = r.Memory;
    }
    if (r.MemorySwap !== 0) h.MemorySwap = r.MemorySwap;
    if (r.MemoryReservation !== 0) h.MemoryReservation = r.MemoryReservation;
    const resources = cgroupResources(h);
    if (r.PidsLimit !== null) {
      // 0 and negative lift the limit: the cgroup gets "max", the record no limit.
      h.PidsLimit = r.PidsLimit > 0 ? r.PidsLimit : null;
      resources.pidsLimit = r.PidsLimit > 0 ? r.PidsLimit : -1;
    }
    const policy = req.RestartPolicy;
    if (policy?.Name) {
      if (policy.Name !== 'no' && h.AutoRemove) conflict('Restart policy cannot be updated because AutoRemove is enabled for the container');
      validateRestartPolicy(policy.Name, policy.MaximumRetryCount ?? 0);
      h.RestartPolicy = { Name: policy.Name as HostConfig['RestartPolicy']['Name'], MaximumRetryCount: policy.MaximumRetryCount ?? 0 };
    }
    return { hostConfig: h, resources, warnings };
  } catch (e) {
    if (e instanceof InvalidParameterError) throw new InvalidParameterError(`Cannot update container ${id}: ${e.message}`);
    throw e;
  }
}
