import type { z } from 'zod';
import { HostConfigRequest } from './container-create.js';

/** Body of `POST /containers/{id}/update`: Docker's UpdateConfig, the resources plus the restart policy. */
export const ContainerUpdateRequest = HostConfigRequest.pick({
  Memory: true,
  MemorySwap: true,
  MemoryReservation: true,
  MemorySwappiness: true,
  OomKillDisable: true,
  KernelMemory: true,
  PidsLimit: true,
  NanoCpus: true,
  CpuShares: true,
  CpuPeriod: true,
  CpuQuota: true,
  CpuRealtimePeriod: true,
  CpuRealtimeRuntime: true,
  CpusetCpus: true,
  CpusetMems: true,
  BlkioWeight: true,
  BlkioWeightDevice: true,
  BlkioDeviceReadBps: true,
  BlkioDeviceWriteBps: true,
  BlkioDeviceReadIOps: true,
  BlkioDeviceWriteIOps: true,
  CgroupParent: true,
  Devices: true,
  DeviceCgroupRules: true,
  DeviceRequests: true,
  Ulimits: true,
  CpuCount: true,
  CpuPercent: true,
  IOMaximumIOps: true,
  IOMaximumBandwidth: true,
  RestartPolicy: true,
});

export type ContainerUpdateRequest = z.infer<typeof ContainerUpdateRequest>;

/** Response of `POST /containers/{id}/update`. */
export interface ContainerUpdateResponse {
  Warnings: string[];
}
