import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());
const emptyObjectMap = z.record(z.string(), z.object({}));
const int = z.number().int();

/** Docker's container states (`ContainerState.Status`). */
export const ContainerStatus = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const HealthcheckResult = z.object({
  Start: z.string(),
  End: z.string(),
  ExitCode: int,
  Output: z.string(),
});

export const Health = z.object({
  Status: z.enum(['none', 'starting', 'healthy', 'unhealthy']),
  FailingStreak: int,
  Log: z.array(HealthcheckResult),
});

/** `State` of container inspect; times are RFC3339Nano, `0001-01-01T00:00:00Z` when unset. */
export const ContainerState = z.object({
  Status: ContainerStatus,
  Running: z.boolean(),
  Paused: z.boolean(),
  Restarting: z.boolean(),
  OOMKilled: z.boolean(),
  Dead: z.boolean(),
  Pid: int,
  ExitCode: int,
  Error: z.string(),
  StartedAt: z.string(),
  FinishedAt: z.string(),
  Health: Health.optional(),
});
export type ContainerState = z.infer<typeof ContainerState>;

export const HealthConfig = z.object({
  Test: z.array(z.string()).optional(),
  Interval: int.optional(),
  Timeout: int.optional(),
  Retries: int.optional(),
  StartPeriod: int.optional(),
  StartInterval: int.optional(),
});

/** A container's (or image's) Config as inspect shows it. */
export const ContainerConfig = z.object({
  Hostname: z.string(),
  Domainname: z.string(),
  User: z.string(),
  AttachStdin: z.boolean(),
  AttachStdout: z.boolean(),
  AttachStderr: z.boolean(),
  ExposedPorts: emptyObjectMap.optional(),
  Tty: z.boolean(),
  OpenStdin: z.boolean(),
  StdinOnce: z.boolean(),
  Env: z.array(z.string()).nullable(),
  Cmd: z.array(z.string()).nullable(),
  Healthcheck: HealthConfig.optional(),
  ArgsEscaped: z.boolean().optional(),
  Image: z.string(),
  Volumes: emptyObjectMap.nullable(),
  WorkingDir: z.string(),
  Entrypoint: z.array(z.string()).nullable(),
  NetworkDisabled: z.boolean().optional(),
  MacAddress: z.string().optional(),
  OnBuild: z.array(z.string()).nullable(),
  Labels: stringMap,
  StopSignal: z.string().optional(),
  StopTimeout: int.optional(),
  Shell: z.array(z.string()).optional(),
});
export type ContainerConfig = z.infer<typeof ContainerConfig>;

export const RestartPolicyName = z.enum(['', 'no', 'always', 'unless-stopped', 'on-failure']);
export const RestartPolicy = z.object({ Name: RestartPolicyName, MaximumRetryCount: int });
export type RestartPolicy = z.infer<typeof RestartPolicy>;

export const PortBinding = z.object({ HostIp: z.string(), HostPort: z.string() });
/** `"80/tcp": [{HostIp, HostPort}]`; a port exposed but not published maps to null. */
export const PortMap = z.record(z.string(), z.array(PortBinding).nullable());
export type PortMap = z.infer<typeof PortMap>;

export const LogConfig = z.object({ Type: z.string(), Config: stringMap });

const ThrottleDevice = z.object({ Path: z.string(), Rate: int });
const WeightDevice = z.object({ Path: z.string(), Weight: int });
export const DeviceMapping = z.object({
  PathOnHost: z.string(),
  PathInContainer: z.string(),
  CgroupPermissions: z.string(),
});
export const Ulimit = z.object({ Name: z.string(), Soft: int, Hard: int });

/** A `--mount` entry of HostConfig.Mounts. */
export const Mount = z.object({
  Target: z.string(),
  Source: z.string(),
  Type: z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']),
  ReadOnly: z.boolean().optional(),
  Consistency: z.string().optional(),
  BindOptions: z.looseObject({}).optional(),
  VolumeOptions: z.looseObject({}).optional(),
  TmpfsOptions: z.looseObject({}).optional(),
});
export type Mount = z.infer<typeof Mount>;

export const DeviceRequest = z.object({
  Driver: z.string(),
  Count: int,
  DeviceIDs: z.array(z.string()).nullable(),
  Capabilities: z.array(z.array(z.string())).nullable(),
  Options: stringMap.nullable(),
});

/** HostConfig as container inspect returns it (all of Docker's fields, lists never null where Docker has []). */
export const HostConfig = z.object({
  Binds: z.array(z.string()).nullable(),
  ContainerIDFile: z.string(),
  LogConfig,
  NetworkMode: z.string(),
  PortBindings: PortMap,
  RestartPolicy,
  AutoRemove: z.boolean(),
  VolumeDriver: z.string(),
  VolumesFrom: z.array(z.string()).nullable(),
  Mounts: z.array(Mount).optional(),
  ConsoleSize: z.array(int),
  Annotations: stringMap.optional(),
  CapAdd: z.array(z.string()).nullable(),
  CapDrop: z.array(z.string()).nullable(),
  CgroupnsMode: z.enum(['private', 'host']).optional(),
  Dns: z.array(z.string()),
  DnsOptions: z.array(z.string()),
  DnsSearch: z.array(z.string()),
  ExtraHosts: z.array(z.string()).nullable(),
  GroupAdd: z.array(z.string()).nullable(),
  IpcMode: z.string(),
  Cgroup: z.string(),
  Links: z.array(z.string()).nullable(),
  OomScoreAdj: int,
  PidMode: z.string(),
  Privileged: z.boolean(),
  PublishAllPorts: z.boolean(),
  ReadonlyRootfs: z.boolean(),
  SecurityOpt: z.array(z.string()).nullable(),
  StorageOpt: stringMap.optional(),
  Tmpfs: stringMap.optional(),
  UTSMode: z.string(),
  UsernsMode: z.string(),
  ShmSize: int,
  Sysctls: stringMap.optional(),
  Runtime: z.string(),
  Isolation: z.enum(['default', 'process', 'hyperv', '']),
  MaskedPaths: z.array(z.string()),
  ReadonlyPaths: z.array(z.string()),
  CpuShares: int,
  Memory: int,
  CgroupParent: z.string(),
  BlkioWeight: int,
  BlkioWeightDevice: z.array(WeightDevice),
  BlkioDeviceReadBps: z.array(ThrottleDevice),
  BlkioDeviceWriteBps: z.array(ThrottleDevice),
  BlkioDeviceReadIOps: z.array(ThrottleDevice),
  BlkioDeviceWriteIOps: z.array(ThrottleDevice),
  CpuPeriod: int,
  CpuQuota: int,
  CpuRealtimePeriod: int,
  CpuRealtimeRuntime: int,
  CpusetCpus: z.string(),
  CpusetMems: z.string(),
  Devices: z.array(DeviceMapping),
  DeviceCgroupRules: z.array(z.string()).nullable(),
  DeviceRequests: z.array(DeviceRequest).nullable(),
  KernelMemoryTCP: int.optional(),
  MemoryReservation: int,
  MemorySwap: int,
  MemorySwappiness: int.nullable(),
  NanoCpus: int,
  OomKillDisable: z.boolean(),
  Init: z.boolean().nullable(),
  PidsLimit: int.nullable(),
  Ulimits: z.array(Ulimit),
  CpuCount: int,
  CpuPercent: int,
  IOMaximumIOps: int,
  IOMaximumBandwidth: int,
});
export type HostConfig = z.infer<typeof HostConfig>;

export const Address = z.object({ Addr: z.string(), PrefixLen: int });

export const EndpointSettings = z.object({
  IPAMConfig: z
    .object({
      IPv4Address: z.string().optional(),
      IPv6Address: z.string().optional(),
      LinkLocalIPs: z.array(z.string()).optional(),
    })
    .nullable(),
  Links: z.array(z.string()).nullable(),
  MacAddress: z.string(),
  Aliases: z.array(z.string()).nullable(),
  NetworkID: z.string(),
  EndpointID: z.string(),
  Gateway: z.string(),
  IPAddress: z.string(),
  IPPrefixLen: int,
  IPv6Gateway: z.string(),
  GlobalIPv6Address: z.string(),
  GlobalIPv6PrefixLen: int,
  DriverOpts: stringMap.nullable(),
  DNSNames: z.array(z.string()).nullable(),
});
export type EndpointSettings = z.infer<typeof EndpointSettings>;

/** NetworkSettings of inspect: `Ports` and `Networks` are `{}` when empty, never null. */
export const NetworkSettings = z.object({
  Bridge: z.string(),
  SandboxID: z.string(),
  HairpinMode: z.boolean(),
  LinkLocalIPv6Address: z.string(),
  LinkLocalIPv6PrefixLen: int,
  Ports: PortMap,
  SandboxKey: z.string(),
  SecondaryIPAddresses: z.array(Address).nullable(),
  SecondaryIPv6Addresses: z.array(Address).nullable(),
  EndpointID: z.string(),
  Gateway: z.string(),
  GlobalIPv6Address: z.string(),
  GlobalIPv6PrefixLen: int,
  IPAddress: z.string(),
  IPPrefixLen: int,
  IPv6Gateway: z.string(),
  MacAddress: z.string(),
  Networks: z.record(z.string(), EndpointSettings),
});
export type NetworkSettings = z.infer<typeof NetworkSettings>;

export const MountPoint = z.object({
  Type: z.enum(['bind', 'volume', 'tmpfs', 'npipe', 'cluster']),
  Name: z.string().optional(),
  Source: z.string(),
  Destination: z.string(),
  Driver: z.string().optional(),
  Mode: z.string(),
  RW: z.boolean(),
  Propagation: z.string(),
});
export type MountPoint = z.infer<typeof MountPoint>;

export const GraphDriverData = z.object({ Name: z.string(), Data: stringMap });

/** `GET /containers/{id}/json`. */
export const ContainerInspect = z.object({
  Id: z.string(),
  Created: z.string(),
  Path: z.string(),
  Args: z.array(z.string()),
  State: ContainerState,
  Image: z.string(),
  ResolvConfPath: z.string(),
  HostnamePath: z.string(),
  HostsPath: z.string(),
  LogPath: z.string(),
  Name: z.string(),
  RestartCount: int,
  Driver: z.string(),
  Platform: z.string(),
  MountLabel: z.string(),
  ProcessLabel: z.string(),
  AppArmorProfile: z.string(),
  ExecIDs: z.array(z.string()).nullable(),
  HostConfig,
  GraphDriver: GraphDriverData,
  SizeRw: int.optional(),
  SizeRootFs: int.optional(),
  Mounts: z.array(MountPoint),
  Config: ContainerConfig,
  NetworkSettings,
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

export const Port = z.object({
  IP: z.string().optional(),
  PrivatePort: int,
  PublicPort: int.optional(),
  Type: z.enum(['tcp', 'udp', 'sctp']),
});
export type Port = z.infer<typeof Port>;

/** One element of `GET /containers/json`. */
export const ContainerSummary = z.object({
  Id: z.string(),
  Names: z.array(z.string()),
  Image: z.string(),
  ImageID: z.string(),
  Command: z.string(),
  Created: int,
  Ports: z.array(Port),
  SizeRw: int.optional(),
  SizeRootFs: int.optional(),
  Labels: stringMap,
  State: ContainerStatus,
  Status: z.string(),
  HostConfig: z.object({ NetworkMode: z.string() }),
  NetworkSettings: z.object({ Networks: z.record(z.string(), EndpointSettings) }),
  Mounts: z.array(MountPoint),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

/** `POST /containers/create` → 201. */
export const ContainerCreateResponse = z.object({ Id: z.string(), Warnings: z.array(z.string()) });
export type ContainerCreateResponse = z.infer<typeof ContainerCreateResponse>;

/** `POST /containers/{id}/wait`; `Error` only when the exit had one. */
export const ContainerWaitResponse = z.object({
  StatusCode: int,
  Error: z.object({ Message: z.string() }).optional(),
});
export type ContainerWaitResponse = z.infer<typeof ContainerWaitResponse>;

/** `GET /containers/{id}/top`. */
export const ContainerTopResponse = z.object({
  Titles: z.array(z.string()),
  Processes: z.array(z.array(z.string())),
});
export type ContainerTopResponse = z.infer<typeof ContainerTopResponse>;

/** `GET /containers/{id}/changes`: Kind 0 = modified, 1 = added, 2 = deleted. */
export const FilesystemChange = z.object({ Path: z.string(), Kind: z.union([z.literal(0), z.literal(1), z.literal(2)]) });
export type FilesystemChange = z.infer<typeof FilesystemChange>;
export const ContainerChangesResponse = z.array(FilesystemChange);
