import { z } from 'zod';

const int = z.number().int();

export const VersionComponent = z.object({
  Name: z.string(),
  Version: z.string(),
  Details: z.record(z.string(), z.string()).optional(),
});

/** `GET /version`. */
export const SystemVersion = z.object({
  Platform: z.object({ Name: z.string() }),
  Components: z.array(VersionComponent),
  Version: z.string(),
  ApiVersion: z.string(),
  MinAPIVersion: z.string(),
  GitCommit: z.string(),
  GoVersion: z.string(),
  Os: z.string(),
  Arch: z.string(),
  KernelVersion: z.string(),
  Experimental: z.boolean().optional(),
  BuildTime: z.string(),
});
export type SystemVersion = z.infer<typeof SystemVersion>;

export const PluginsInfo = z.object({
  Volume: z.array(z.string()),
  Network: z.array(z.string()),
  Authorization: z.array(z.string()).nullable(),
  Log: z.array(z.string()),
});

export const IndexInfo = z.object({
  Name: z.string(),
  Mirrors: z.array(z.string()),
  Secure: z.boolean(),
  Official: z.boolean(),
});

export const RegistryServiceConfig = z.object({
  AllowNondistributableArtifactsCIDRs: z.array(z.string()).optional(),
  AllowNondistributableArtifactsHostnames: z.array(z.string()).optional(),
  InsecureRegistryCIDRs: z.array(z.string()),
  IndexConfigs: z.record(z.string(), IndexInfo),
  Mirrors: z.array(z.string()),
});

export const Commit = z.object({ ID: z.string(), Expected: z.string().optional() });

export const Runtime = z.object({
  path: z.string().optional(),
  runtimeArgs: z.array(z.string()).optional(),
});

export const SwarmInfo = z.object({
  NodeID: z.string(),
  NodeAddr: z.string(),
  LocalNodeState: z.enum(['', 'inactive', 'pending', 'active', 'error', 'locked']),
  ControlAvailable: z.boolean(),
  Error: z.string(),
  RemoteManagers: z.array(z.object({ NodeID: z.string(), Addr: z.string() })).nullable(),
  // Only for a swarm manager; berth never is one.
  Nodes: int.optional(),
  Managers: int.optional(),
  Cluster: z.looseObject({}).nullable().optional(),
});

export const GenericResource = z.object({
  NamedResourceSpec: z.object({ Kind: z.string(), Value: z.string() }).optional(),
  DiscreteResourceSpec: z.object({ Kind: z.string(), Value: int }).optional(),
});

/** `GET /info`. */
export const SystemInfo = z.object({
  ID: z.string(),
  Containers: int,
  ContainersRunning: int,
  ContainersPaused: int,
  ContainersStopped: int,
  Images: int,
  Driver: z.string(),
  DriverStatus: z.array(z.array(z.string())),
  DockerRootDir: z.string(),
  Plugins: PluginsInfo,
  MemoryLimit: z.boolean(),
  SwapLimit: z.boolean(),
  KernelMemoryTCP: z.boolean().optional(),
  CpuCfsPeriod: z.boolean(),
  CpuCfsQuota: z.boolean(),
  CPUShares: z.boolean(),
  CPUSet: z.boolean(),
  PidsLimit: z.boolean(),
  OomKillDisable: z.boolean(),
  IPv4Forwarding: z.boolean(),
  BridgeNfIptables: z.boolean(),
  BridgeNfIp6tables: z.boolean(),
  Debug: z.boolean(),
  NFd: int,
  NGoroutines: int,
  SystemTime: z.string(),
  LoggingDriver: z.string(),
  CgroupDriver: z.enum(['cgroupfs', 'systemd', 'none']),
  CgroupVersion: z.enum(['1', '2']),
  NEventsListener: int,
  KernelVersion: z.string(),
  OperatingSystem: z.string(),
  OSVersion: z.string(),
  OSType: z.string(),
  Architecture: z.string(),
  NCPU: int,
  MemTotal: int,
  IndexServerAddress: z.string(),
  RegistryConfig: RegistryServiceConfig,
  GenericResources: z.array(GenericResource).nullable(),
  HttpProxy: z.string(),
  HttpsProxy: z.string(),
  NoProxy: z.string(),
  Name: z.string(),
  Labels: z.array(z.string()),
  ExperimentalBuild: z.boolean(),
  ServerVersion: z.string(),
  Runtimes: z.record(z.string(), Runtime),
  DefaultRuntime: z.string(),
  Swarm: SwarmInfo,
  LiveRestoreEnabled: z.boolean(),
  Isolation: z.enum(['default', 'hyperv', 'process', '']),
  InitBinary: z.string(),
  ContainerdCommit: Commit,
  RuncCommit: Commit,
  InitCommit: Commit,
  SecurityOptions: z.array(z.string()),
  ProductLicense: z.string().optional(),
  DefaultAddressPools: z.array(z.object({ Base: z.string(), Size: int })).optional(),
  Warnings: z.array(z.string()),
  CDISpecDirs: z.array(z.string()),
});
export type SystemInfo = z.infer<typeof SystemInfo>;
