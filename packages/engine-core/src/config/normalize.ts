import type {
  ContainerConfig,
  ContainerCreateRequest,
  HostConfig,
  HostConfigRequest,
  Mount,
  RestartPolicy,
} from '@berth/api-types';
import { InvalidParameterError, versionLessThan } from '@berth/api-types';

type StrList = string | readonly string[] | null | undefined;

/** A Cmd/Entrypoint as stored: null when absent, a one-element list for a plain string. */
function strSlice(v: StrList): string[] | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? [v] : [...v];
}

const list = (v: StrList): string[] => strSlice(v) ?? [];
const nullableList = (v: readonly string[] | null | undefined): string[] | null => (v ? [...v] : null);

/** The stored Config of a container from a create request (before the merge with the image). */
export function toContainerConfig(req: ContainerCreateRequest): ContainerConfig {
  let entrypoint = strSlice(req.Entrypoint);
  // The docker CLI resets the image entrypoint with `--entrypoint ""`, sent as [""].
  if (entrypoint?.length === 1 && entrypoint[0] === '') entrypoint = [];
  const stdinOnce = req.StdinOnce ?? false;
  const config: ContainerConfig = {
    Hostname: req.Hostname ?? '',
    Domainname: req.Domainname ?? '',
    User: req.User ?? '',
    AttachStdin: req.AttachStdin ?? false,
    AttachStdout: req.AttachStdout ?? false,
    AttachStderr: req.AttachStderr ?? false,
    ExposedPorts: req.ExposedPorts ? mapOfEmpty(req.ExposedPorts) : undefined,
    Tty: req.Tty ?? false,
    OpenStdin: req.OpenStdin ?? false,
    StdinOnce: stdinOnce,
    Env: nullableList(req.Env),
    Cmd: strSlice(req.Cmd),
    Image: req.Image ?? '',
    Volumes: req.Volumes ? mapOfEmpty(req.Volumes) : null,
    WorkingDir: req.WorkingDir ?? '',
    Entrypoint: entrypoint,
    OnBuild: nullableList(req.OnBuild),
    Labels: { ...(req.Labels ?? {}) },
  };
  if (req.NetworkDisabled) config.NetworkDisabled = true;
  // API 1.44 moved --mac-address into the endpoint's settings
  const endpointMac = Object.values(req.NetworkingConfig?.EndpointsConfig ?? {}).find((e) => e?.MacAddress)?.MacAddress;
  const mac = req.MacAddress || endpointMac;
  if (mac) config.MacAddress = mac;
  if (req.StopSignal) config.StopSignal = req.StopSignal;
  if (typeof req.StopTimeout === 'number') config.StopTimeout = req.StopTimeout;
  if (req.Shell) config.Shell = [...req.Shell];
  if (req.Healthcheck) {
    const { Test, Interval, Timeout, Retries, StartPeriod, StartInterval } = req.Healthcheck;
    const fields = { Test, Interval, Timeout, Retries, StartPeriod, StartInterval };
    config.Healthcheck = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)) as ContainerConfig['Healthcheck'];
  }
  if (req.ArgsEscaped) config.ArgsEscaped = true;
  return config;
}

function mapOfEmpty(m: Record<string, unknown>): Record<string, Record<string, never>> {
  return Object.fromEntries(Object.keys(m).map((k) => [k, {}]));
}

/** The paths Docker masks in /proc and /sys of an unprivileged container. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** The paths Docker mounts read-only in an unprivileged container. */
export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/** Docker's default /dev/shm size, 64 MiB. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export interface HostConfigDefaults {
  /** The daemon's log driver (`--log-driver`), `json-file` unless configured. */
  logDriver: string;
  /** `host` on cgroup v1 hosts, `private` on v2. */
  cgroupnsMode: 'host' | 'private';
  /** The API version of the request: before 1.19 the resource limits came in Config. */
  apiVersion: string;
}

/**
 * The stored HostConfig of a container from a create request, Docker's defaults filled in.
 * For API < 1.19 the legacy Config fields Memory, MemorySwap, CpuShares and Cpuset are used
 * when HostConfig does not set them.
 */
export function toHostConfig(req: ContainerCreateRequest, defaults: HostConfigDefaults): HostConfig {
  const h: HostConfigRequest = req.HostConfig ?? {};
  const legacy = versionLessThan(defaults.apiVersion, '1.19');
  const privileged = h.Privileged ?? false;
  return {
    Binds: nullableList(h.Binds),
    ContainerIDFile: h.ContainerIDFile ?? '',
    LogConfig: {
      Type: h.LogConfig?.Type || defaults.logDriver,
      Config: { ...(h.LogConfig?.Config ?? {}) },
    },
    NetworkMode: h.NetworkMode || 'default',
    PortBindings: Object.fromEntries(
      Object.entries(h.PortBindings ?? {}).map(([port, bindings]) => [
        port,
        bindings === null ? null : bindings.map((b) => ({ HostIp: b.HostIp ?? '', HostPort: b.HostPort ?? '' })),
      ]),
    ),
    RestartPolicy: restartPolicyOf(h),
    AutoRemove: h.AutoRemove ?? false,
    VolumeDriver: h.VolumeDriver ?? '',
    VolumesFrom: nullableList(h.VolumesFrom),
    Mounts: (h.Mounts ?? []).map((m) => ({
      // checked with the rest of the mount when the container's mounts are resolved
      Type: m.Type as Mount['Type'],
      Source: m.Source ?? '',
      Target: m.Target ?? '',
      ...(m.ReadOnly ? { ReadOnly: true } : {}),
      ...(m.BindOptions ? { BindOptions: m.BindOptions } : {}),
      ...(m.VolumeOptions ? { VolumeOptions: m.VolumeOptions } : {}),
      ...(m.TmpfsOptions ? { TmpfsOptions: m.TmpfsOptions } : {}),
    })),
    ...(h.Tmpfs ? { Tmpfs: { ...h.Tmpfs } } : {}),
    ConsoleSize: [h.ConsoleSize?.[0] ?? 0, h.ConsoleSize?.[1] ?? 0],
    CapAdd: nullableList(h.CapAdd),
    CapDrop: nullableList(h.CapDrop),
    CgroupnsMode: h.CgroupnsMode === 'host' || h.CgroupnsMode === 'private' ? h.CgroupnsMode : defaults.cgroupnsMode,
    Dns: list(h.Dns),
    DnsOptions: list(h.DnsOptions),
    DnsSearch: list(h.DnsSearch),
    ExtraHosts: nullableList(h.ExtraHosts),
    GroupAdd: nullableList(h.GroupAdd),
    IpcMode: h.IpcMode || 'private',
    Cgroup: h.Cgroup ?? '',
    Links: nullableList(h.Links),
    OomScoreAdj: h.OomScoreAdj ?? 0,
    PidMode: h.PidMode ?? '',
    Privileged: privileged,
    PublishAllPorts: h.PublishAllPorts ?? false,
    ReadonlyRootfs: h.ReadonlyRootfs ?? false,
    SecurityOpt: nullableList(h.SecurityOpt),
    UTSMode: h.UTSMode ?? '',
    UsernsMode: h.UsernsMode ?? '',
    ShmSize: h.ShmSize || DEFAULT_SHM_SIZE,
    ...(h.Sysctls && Object.keys(h.Sysctls).length > 0 ? { Sysctls: { ...h.Sysctls } } : {}),
    Runtime: h.Runtime || 'runc',
    Isolation: '',
    MaskedPaths: h.MaskedPaths ? [...h.MaskedPaths] : privileged ? [] : [...DEFAULT_MASKED_PATHS],
    ReadonlyPaths: h.ReadonlyPaths ? [...h.ReadonlyPaths] : privileged ? [] : [...DEFAULT_READONLY_PATHS],
    CpuShares: h.CpuShares || (legacy ? (req.CpuShares ?? 0) : 0),
    Memory: h.Memory || (legacy ? (req.Memory ?? 0) : 0),
    CgroupParent: h.CgroupParent ?? '',
    BlkioWeight: h.BlkioWeight ?? 0,
    BlkioWeightDevice: (h.BlkioWeightDevice ?? []).map((d) => ({ Path: d.Path ?? '', Weight: d.Weight ?? 0 })),
    BlkioDeviceReadBps: throttle(h.BlkioDeviceReadBps),
    BlkioDeviceWriteBps: throttle(h.BlkioDeviceWriteBps),
    BlkioDeviceReadIOps: throttle(h.BlkioDeviceReadIOps),
    BlkioDeviceWriteIOps: throttle(h.BlkioDeviceWriteIOps),
    CpuPeriod: h.CpuPeriod ?? 0,
    CpuQuota: h.CpuQuota ?? 0,
    CpuRealtimePeriod: h.CpuRealtimePeriod ?? 0,
    CpuRealtimeRuntime: h.CpuRealtimeRuntime ?? 0,
    CpusetCpus: h.CpusetCpus || (legacy ? (req.Cpuset ?? '') : ''),
    CpusetMems: h.CpusetMems ?? '',
    Devices: (h.Devices ?? []).map((d) => ({
      PathOnHost: d.PathOnHost ?? '',
      PathInContainer: d.PathInContainer || d.PathOnHost || '',
      CgroupPermissions: d.CgroupPermissions || 'rwm',
    })),
    DeviceCgroupRules: nullableList(h.DeviceCgroupRules),
    DeviceRequests: null,
    MemoryReservation: h.MemoryReservation ?? 0,
    MemorySwap: h.MemorySwap || (legacy ? (req.MemorySwap ?? 0) : 0),
    // -1 (what the docker CLI sends when unset) and absent both mean the kernel default.
    MemorySwappiness: h.MemorySwappiness === -1 ? null : (h.MemorySwappiness ?? null),
    NanoCpus: h.NanoCpus ?? 0,
    OomKillDisable: h.OomKillDisable ?? false,
    Init: h.Init ?? null,
    // 0 and negative limits mean unlimited, stored as no limit.
    PidsLimit: h.PidsLimit && h.PidsLimit > 0 ? h.PidsLimit : null,
    Ulimits: (h.Ulimits ?? []).map((u) => ({ Name: u.Name ?? '', Soft: u.Soft ?? 0, Hard: u.Hard ?? 0 })),
    CpuCount: h.CpuCount ?? 0,
    CpuPercent: h.CpuPercent ?? 0,
    IOMaximumIOps: h.IOMaximumIOps ?? 0,
    IOMaximumBandwidth: h.IOMaximumBandwidth ?? 0,
  };
}

function throttle(v: HostConfigRequest['BlkioDeviceReadBps']): { Path: string; Rate: number }[] {
  return (v ?? []).map((d) => ({ Path: d.Path ?? '', Rate: d.Rate ?? 0 }));
}

const POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'] as const;

function restartPolicyOf(h: HostConfigRequest): RestartPolicy {
  const name = h.RestartPolicy?.Name ?? '';
  const max = h.RestartPolicy?.MaximumRetryCount ?? 0;
  validateRestartPolicy(name, max);
  // An empty name is what clients before v25 sent for "no".
  return { Name: (name || 'no') as RestartPolicy['Name'], MaximumRetryCount: max };
}

/** Docker's `ValidateRestartPolicy` with its messages. */
export function validateRestartPolicy(name: string, maximumRetryCount: number): void {
  if (!(POLICIES as readonly string[]).includes(name)) {
    throw new InvalidParameterError(
      `invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
    );
  }
  if (name === 'on-failure') {
    if (maximumRetryCount < 0) {
      throw new InvalidParameterError('invalid restart policy: maximum retry count cannot be negative');
    }
  } else if (name !== '' && maximumRetryCount !== 0) {
    let msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'";
    if (maximumRetryCount < 0) msg += ' and cannot be negative';
    throw new InvalidParameterError(msg);
  }
}

/**
 * Parses the `--restart` flag value (`no`, `always`, `unless-stopped`, `on-failure[:N]`) as
 * the docker CLI does.
 */
export function parseRestartPolicy(value: string): RestartPolicy {
  if (value === '') return { Name: '', MaximumRetryCount: 0 };
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const count = colon < 0 ? '' : value.slice(colon + 1);
  if (colon >= 0 && name === '') {
    throw new InvalidParameterError('invalid restart policy format: no policy provided before colon');
  }
  let max = 0;
  if (count !== '') {
    if (!/^[+-]?\d+$/.test(count)) {
      throw new InvalidParameterError('invalid restart policy format: maximum retry count must be an integer');
    }
    max = Number.parseInt(count, 10);
  }
  validateRestartPolicy(name, max);
  return { Name: name as RestartPolicy['Name'], MaximumRetryCount: max };
}
