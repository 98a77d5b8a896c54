import { z } from 'zod';
import { emptyObjectMap, lenientObject, stringMap, stringOrList } from './lenient.js';

const nullableStringList = z.array(z.string()).nullish();

export const RestartPolicyRequest = lenientObject({
  Name: z.string(),
  MaximumRetryCount: z.number().int(),
});

export const PortBindingRequest = lenientObject({ HostIp: z.string(), HostPort: z.string() });

export const LogConfigRequest = lenientObject({ Type: z.string(), Config: stringMap });

const ThrottleDevice = lenientObject({ Path: z.string(), Rate: z.number() });
const WeightDevice = lenientObject({ Path: z.string(), Weight: z.number() });
const DeviceMapping = lenientObject({
  PathOnHost: z.string(),
  PathInContainer: z.string(),
  CgroupPermissions: z.string(),
});
const Ulimit = lenientObject({ Name: z.string(), Soft: z.number(), Hard: z.number() });
/** A `--mount` entry of HostConfig.Mounts. */
export const MountRequest = lenientObject({
  Target: z.string(),
  Source: z.string(),
  Type: z.string(),
  ReadOnly: z.boolean(),
  Consistency: z.string(),
  BindOptions: lenientObject({ Propagation: z.string(), NonRecursive: z.boolean(), CreateMountpoint: z.boolean() }),
  VolumeOptions: lenientObject({
    NoCopy: z.boolean(),
    Labels: stringMap,
    Subpath: z.string(),
    DriverConfig: lenientObject({ Name: z.string(), Options: stringMap }),
  }),
  TmpfsOptions: lenientObject({ SizeBytes: z.number().int(), Mode: z.number().int() }),
});
export type MountRequest = z.infer<typeof MountRequest>;

/** HostConfig of `POST /containers/create` (and the body of the legacy `POST /containers/{id}/start`). */
export const HostConfigRequest = lenientObject({
  Binds: nullableStringList,
  ContainerIDFile: z.string(),
  LogConfig: LogConfigRequest,
  NetworkMode: z.string(),
  PortBindings: z.record(z.string(), z.array(PortBindingRequest).nullable()),
  RestartPolicy: RestartPolicyRequest,
  AutoRemove: z.boolean(),
  VolumeDriver: z.string(),
  VolumesFrom: nullableStringList,
  Mounts: z.array(MountRequest),
  ConsoleSize: z.array(z.number().int()),
  Annotations: stringMap,
  CapAdd: nullableStringList,
  CapDrop: nullableStringList,
  CgroupnsMode: z.string(),
  Dns: stringOrList,
  DnsOptions: nullableStringList,
  DnsSearch: stringOrList,
  ExtraHosts: nullableStringList,
  GroupAdd: nullableStringList,
  IpcMode: z.string(),
  Cgroup: z.string(),
  Links: nullableStringList,
  OomScoreAdj: z.number().int(),
  PidMode: z.string(),
  Privileged: z.boolean(),
  PublishAllPorts: z.boolean(),
  ReadonlyRootfs: z.boolean(),
  SecurityOpt: nullableStringList,
  StorageOpt: stringMap,
  Tmpfs: stringMap,
  UTSMode: z.string(),
  UsernsMode: z.string(),
  ShmSize: z.number().int(),
  Sysctls: stringMap,
  Runtime: z.string(),
  Isolation: z.string(),
  MaskedPaths: nullableStringList,
  ReadonlyPaths: nullableStringList,
  // Resources
  CpuShares: z.number().int(),
  Memory: z.number().int(),
  CgroupParent: z.string(),
  BlkioWeight: z.number().int(),
  BlkioWeightDevice: z.array(WeightDevice),
  BlkioDeviceReadBps: z.array(ThrottleDevice),
  BlkioDeviceWriteBps: z.array(ThrottleDevice),
  BlkioDeviceReadIOps: z.array(ThrottleDevice),
  BlkioDeviceWriteIOps: z.array(ThrottleDevice),
  CpuPeriod: z.number().int(),
  CpuQuota: z.number().int(),
  CpuRealtimePeriod: z.number().int(),
  CpuRealtimeRuntime: z.number().int(),
  CpusetCpus: z.string(),
  CpusetMems: z.string(),
  Devices: z.array(DeviceMapping),
  DeviceCgroupRules: nullableStringList,
  DeviceRequests: z.array(z.looseObject({})),
  KernelMemory: z.number().int(),
  KernelMemoryTCP: z.number().int(),
  MemoryReservation: z.number().int(),
  MemorySwap: z.number().int(),
  MemorySwappiness: z.number().int(),
  NanoCpus: z.number().int(),
  OomKillDisable: z.boolean(),
  Init: z.boolean(),
  PidsLimit: z.number().int(),
  Ulimits: z.array(Ulimit),
  CpuCount: z.number().int(),
  CpuPercent: z.number().int(),
  IOMaximumIOps: z.number().int(),
  IOMaximumBandwidth: z.number().int(),
  // Before API 1.19 the daemon also took the LXC options.
  LxcConf: z.union([z.array(z.looseObject({})), stringMap]),
});

export const EndpointSettingsRequest = lenientObject({
  IPAMConfig: lenientObject({
    IPv4Address: z.string(),
    IPv6Address: z.string(),
    LinkLocalIPs: nullableStringList,
  }),
  Links: nullableStringList,
  Aliases: nullableStringList,
  MacAddress: z.string(),
  NetworkID: z.string(),
  EndpointID: z.string(),
  Gateway: z.string(),
  IPAddress: z.string(),
  IPPrefixLen: z.number().int(),
  IPv6Gateway: z.string(),
  GlobalIPv6Address: z.string(),
  GlobalIPv6PrefixLen: z.number().int(),
  DriverOpts: stringMap,
  DNSNames: nullableStringList,
});

export const NetworkingConfigRequest = lenientObject({
  EndpointsConfig: z.record(z.string(), EndpointSettingsRequest.nullable()),
});

export const HealthConfigRequest = lenientObject({
  Test: nullableStringList,
  Interval: z.number().int(),
  Timeout: z.number().int(),
  Retries: z.number().int(),
  StartPeriod: z.number().int(),
  StartInterval: z.number().int(),
});

/** The container Config fields, as `POST /containers/create` and `POST /commit` take them. */
export const ContainerConfigRequest = lenientObject({
  Hostname: z.string(),
  Domainname: z.string(),
  User: z.string(),
  AttachStdin: z.boolean(),
  AttachStdout: z.boolean(),
  AttachStderr: z.boolean(),
  ExposedPorts: emptyObjectMap,
  Tty: z.boolean(),
  OpenStdin: z.boolean(),
  StdinOnce: z.boolean(),
  Env: nullableStringList,
  Cmd: stringOrList,
  Healthcheck: HealthConfigRequest,
  ArgsEscaped: z.boolean(),
  Image: z.string(),
  Volumes: emptyObjectMap,
  WorkingDir: z.string(),
  Entrypoint: stringOrList,
  NetworkDisabled: z.boolean(),
  MacAddress: z.string(),
  OnBuild: nullableStringList,
  Labels: stringMap,
  StopSignal: z.string(),
  StopTimeout: z.number().int(),
  Shell: nullableStringList,
  // Before API 1.19 these resource limits sat in Config rather than HostConfig.
  Memory: z.number().int(),
  MemorySwap: z.number().int(),
  CpuShares: z.number().int(),
  Cpuset: z.string(),
  // API <= 1.12 clients may still send the long-gone PortSpecs.
  PortSpecs: nullableStringList,
});

/** Body of `POST /containers/create`: Config at top level plus HostConfig and NetworkingConfig. */
export const ContainerCreateRequest = ContainerConfigRequest.extend({
  HostConfig: HostConfigRequest.nullish(),
  NetworkingConfig: NetworkingConfigRequest.nullish(),
});

export type RestartPolicyRequest = z.infer<typeof RestartPolicyRequest>;
export type HostConfigRequest = z.infer<typeof HostConfigRequest>;
export type NetworkingConfigRequest = z.infer<typeof NetworkingConfigRequest>;
export type ContainerConfigRequest = z.infer<typeof ContainerConfigRequest>;
export type ContainerCreateRequest = z.infer<typeof ContainerCreateRequest>;
