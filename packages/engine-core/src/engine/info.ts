import { readFileSync, readdirSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import type { SystemInfo } from '@berth/api-types';
import { sysInfoWarnings, type SysInfo } from '../resources/index.js';

/** What `/info` reports that only the engine knows. */
export interface InfoFacts {
  id: string;
  containers: { running: number; paused: number; stopped: number };
  images: number;
  driver: string;
  driverStatus: Array<[string, string]>;
  root: string;
  debug: boolean;
  eventListeners: number;
  serverVersion: string;
  sys: SysInfo;
  /** The daemon remaps containers' root (`--userns-remap`). */
  userns?: boolean;
}

function osRelease(): { pretty: string; version: string } {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const field = (k: string): string => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
    return { pretty: field('PRETTY_NAME') || 'Linux', version: field('VERSION_ID') };
  } catch {
    return { pretty: 'Linux', version: '' };
  }
}

const readFlag = (path: string): boolean => {
  try {
    return readFileSync(path, 'utf8').trim() === '1';
  } catch {
    return false;
  }
};

const goArch = (): string => ({ x64: 'x86_64', arm64: 'aarch64' })[process.arch as string] ?? process.arch;

/** Docker's `SystemInfo` with this host's real figures. */
export function systemInfo(f: InfoFacts): SystemInfo {
  const s = f.sys;
  const os = osRelease();
  const net = {
    ipv4Forwarding: readFlag('/proc/sys/net/ipv4/ip_forward'),
    bridgeNfIptables: readFlag('/proc/sys/net/bridge/bridge-nf-call-iptables'),
    bridgeNfIp6tables: readFlag('/proc/sys/net/bridge/bridge-nf-call-ip6tables'),
  };
  const total = f.containers.running + f.containers.paused + f.containers.stopped;
  return {
    ID: f.id,
    Containers: total,
    ContainersRunning: f.containers.running,
    ContainersPaused: f.containers.paused,
    ContainersStopped: f.containers.stopped,
    Images: f.images,
    Driver: f.driver,
    DriverStatus: f.driverStatus,
    DockerRootDir: f.root,
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: s.memoryLimit,
    SwapLimit: s.swapLimit,
    ...(s.cgroupVersion === 1 ? { KernelMemoryTCP: s.kernelMemoryTCP } : {}),
    CpuCfsPeriod: s.cpuCfs,
    CpuCfsQuota: s.cpuCfs,
    CPUShares: s.cpuShares,
    CPUSet: s.cpuset,
    PidsLimit: s.pidsLimit,
    OomKillDisable: s.oomKillDisable,
    IPv4Forwarding: net.ipv4Forwarding,
    BridgeNfIptables: net.bridgeNfIptables,
    BridgeNfIp6tables: net.bridgeNfIp6tables,
    Debug: f.debug,
    NFd: countFds(),
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: s.cgroupVersion === 1 ? '1' : '2',
    NEventsListener: f.eventListeners,
    KernelVersion: release(),
    OperatingSystem: os.pretty,
    OSVersion: os.version,
    OSType: 'linux',
    Architecture: goArch(),
    NCPU: cpus().length,
    MemTotal: totalmem(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'],
      IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
      Mirrors: [],
    },
    GenericResources: null,
    HttpProxy: process.env['HTTP_PROXY'] ?? process.env['http_proxy'] ?? '',
    HttpsProxy: process.env['HTTPS_PROXY'] ?? process.env['https_proxy'] ?? '',
    NoProxy: process.env['NO_PROXY'] ?? process.env['no_proxy'] ?? '',
    Name: hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: f.serverVersion,
    Runtimes: { runc: { path: 'berth-monitor' } },
    DefaultRuntime: 'runc',
    Swarm: {
      NodeID: '',
      NodeAddr: '',
      LocalNodeState: 'inactive',
      ControlAvailable: false,
      Error: '',
      RemoteManagers: null,
    },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: '',
    ContainerdCommit: { ID: '' },
    RuncCommit: { ID: '' },
    InitCommit: { ID: '' },
    SecurityOptions: ['name=seccomp,profile=builtin', ...(f.userns ? ['name=userns'] : []), ...(s.cgroupVersion === 2 ? ['name=cgroupns'] : [])],
    Warnings: sysInfoWarnings(s, net),
    CDISpecDirs: [],
  };
}

function countFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}
