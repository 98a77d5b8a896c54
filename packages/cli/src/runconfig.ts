import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { ramInBytes } from '@berth/api-types';
import type { FlagSet, FlagValue } from './flags.js';
import { parseMountFlag, tmpfsMap, type MountBody } from './mountflags.js';
import { defineResourceFlags, resourceHostConfig, securityOpts, type ResourceFlags } from './resource-flags.js';

/** A run/create option the command line got wrong; the CLI prints it and exits 125. */
export class RunConfigError extends Error {
  override name = 'RunConfigError';
}

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

export interface Ulimit {
  Name: string;
  Hard: number;
  Soft: number;
}

/** The HostConfig part of `POST /containers/create`, the fields docker 1.7's CLI filled in. */
export type HostConfigBody = {
  Binds: string[] | null;
  /** `--mount` (newer than 1.7: sent only when given). */
  Mounts?: MountBody[];
  /** `--tmpfs` (newer than 1.7: sent only when given). */
  Tmpfs?: Record<string, string>;
  ContainerIDFile: string;
  Memory: number;
  MemorySwap: number;
  CpuShares: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpusetCpus: string;
  CpusetMems: string;
  BlkioWeight: number;
  OomKillDisable: boolean;
  Privileged: boolean;
  PortBindings: Record<string, PortBinding[]>;
  Links: string[];
  PublishAllPorts: boolean;
  Dns: string[];
  DnsSearch: string[];
  ExtraHosts: string[];
  VolumesFrom: string[];
  NetworkMode: string;
  IpcMode: string;
  PidMode: string;
  UTSMode: string;
  Devices: DeviceMapping[];
  CapAdd: string[];
  CapDrop: string[];
  RestartPolicy: { Name: string; MaximumRetryCount: number };
  SecurityOpt: string[];
  ReadonlyRootfs: boolean;
  Ulimits: Ulimit[];
  LogConfig: { Type: string; Config: Record<string, string> };
  CgroupParent: string;
  /** `run --rm` (newer than 1.7, where the CLI removed it: sent only when set). */
  AutoRemove?: boolean;
} & Partial<ReturnType<typeof resourceHostConfig>>;

/** The body of `POST /containers/create`: the container Config with its HostConfig inside. */
export interface ContainerCreateBody {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Image: string;
  Volumes: Record<string, Record<string, never>>;
  WorkingDir: string;
  Entrypoint: string[] | null;
  MacAddress: string;
  Labels: Record<string, string>;
  HostConfig: HostConfigBody;
}

export interface RunConfig {
  body: ContainerCreateBody;
  /** `--name`, sent as the `name` query parameter ("" for a generated name). */
  name: string;
}

type ListFlag = FlagValue<string[]>;

/** The flags `runconfig.Parse` defines, shared by `run` and `create`. */
export interface RunFlags {
  attach: ListFlag;
  volumes: ListFlag;
  mounts: ListFlag;
  tmpfs: ListFlag;
  links: ListFlag;
  env: ListFlag;
  labels: ListFlag;
  devices: ListFlag;
  ulimits: ListFlag;
  publish: ListFlag;
  expose: ListFlag;
  dns: ListFlag;
  dnsSearch: ListFlag;
  extraHosts: ListFlag;
  volumesFrom: ListFlag;
  envFile: ListFlag;
  capAdd: ListFlag;
  capDrop: ListFlag;
  securityOpt: ListFlag;
  labelFile: ListFlag;
  logOpts: ListFlag;
  privileged: FlagValue<boolean>;
  pid: FlagValue<string>;
  uts: FlagValue<string>;
  publishAll: FlagValue<boolean>;
  stdin: FlagValue<boolean>;
  tty: FlagValue<boolean>;
  oomKillDisable: FlagValue<boolean>;
  cidfile: FlagValue<string>;
  entrypoint: FlagValue<string>;
  hostname: FlagValue<string>;
  memory: FlagValue<string>;
  memorySwap: FlagValue<string>;
  user: FlagValue<string>;
  workdir: FlagValue<string>;
  cpuShares: FlagValue<number>;
  cpuPeriod: FlagValue<number>;
  cpuQuota: FlagValue<number>;
  cpusetCpus: FlagValue<string>;
  cpusetMems: FlagValue<string>;
  blkioWeight: FlagValue<number>;
  net: FlagValue<string>;
  macAddress: FlagValue<string>;
  ipc: FlagValue<string>;
  restart: FlagValue<string>;
  readOnly: FlagValue<boolean>;
  logDriver: FlagValue<string>;
  cgroupParent: FlagValue<string>;
  name: FlagValue<string>;
  resources: ResourceFlags;
}

/** Defines docker 1.7's run/create flags (names, defaults and usage texts of runconfig/parse.go). */
export function defineRunFlags(fs: FlagSet): RunFlags {
  return {
    attach: fs.list(['a', '-attach'], 'Attach to STDIN, STDOUT or STDERR'),
    volumes: fs.list(['v', '-volume'], 'Bind mount a volume'),
    mounts: fs.list(['-mount'], 'Attach a filesystem mount to the container'),
    tmpfs: fs.list(['-tmpfs'], 'Mount a tmpfs directory'),
    links: fs.list(['#link', '-link'], 'Add link to another container'),
    devices: fs.list(['-device'], 'Add a host device to the container'),
    labels: fs.list(['l', '-label'], 'Set meta data on a container'),
    labelFile: fs.list(['-label-file'], 'Read in a line delimited file of labels'),
    env: fs.list(['e', '-env'], 'Set environment variables'),
    envFile: fs.list(['-env-file'], 'Read in a file of environment variables'),
    publish: fs.list(['p', '-publish'], "Publish a container's port(s) to the host"),
    expose: fs.list(['#expose', '-expose'], 'Expose a port or a range of ports'),
    dns: fs.list(['#dns', '-dns'], 'Set custom DNS servers'),
    dnsSearch: fs.list(['-dns-search'], 'Set custom DNS search domains'),
    extraHosts: fs.list(['-add-host'], 'Add a custom host-to-IP mapping (host:ip)'),
    volumesFrom: fs.list(['#volumes-from', '-volumes-from'], 'Mount volumes from the specified container(s)'),
    capAdd: fs.list(['-cap-add'], 'Add Linux capabilities'),
    capDrop: fs.list(['-cap-drop'], 'Drop Linux capabilities'),
    securityOpt: fs.list(['-security-opt'], 'Security Options'),
    ulimits: fs.list(['-ulimit'], 'Ulimit options'),
    logOpts: fs.list(['-log-opt'], 'Log driver options'),
    privileged: fs.bool(['#privileged', '-privileged'], false, 'Give extended privileges to this container'),
    pid: fs.string(['-pid'], '', 'PID namespace to use'),
    uts: fs.string(['-uts'], '', 'UTS namespace to use'),
    publishAll: fs.bool(['P', '-publish-all'], false, 'Publish all exposed ports to random ports'),
    stdin: fs.bool(['i', '-interactive'], false, 'Keep STDIN open even if not attached'),
    tty: fs.bool(['t', '-tty'], false, 'Allocate a pseudo-TTY'),
    oomKillDisable: fs.bool(['-oom-kill-disable'], false, 'Disable OOM Killer'),
    cidfile: fs.string(['#cidfile', '-cidfile'], '', 'Write the container ID to the file'),
    entrypoint: fs.string(['#entrypoint', '-entrypoint'], '', 'Overwrite the default ENTRYPOINT of the image'),
    hostname: fs.string(['h', '-hostname'], '', 'Container host name'),
    memory: fs.string(['m', '-memory'], '', 'Memory limit'),
    memorySwap: fs.string(['-memory-swap'], '', "Total memory (memory + swap), '-1' to disable swap"),
    user: fs.string(['u', '-user'], '', 'Username or UID (format: <name|uid>[:<group|gid>])'),
    workdir: fs.string(['w', '-workdir'], '', 'Working directory inside the container'),
    cpuShares: fs.int(['c', '-cpu-shares'], 0, 'CPU shares (relative weight)'),
    cpuPeriod: fs.int(['-cpu-period'], 0, 'Limit CPU CFS (Completely Fair Scheduler) period'),
    cpuQuota: fs.int(['-cpu-quota'], 0, 'Limit the CPU CFS quota'),
    cpusetCpus: fs.string(['#-cpuset', '-cpuset-cpus'], '', 'CPUs in which to allow execution (0-3, 0,1)'),
    cpusetMems: fs.string(['-cpuset-mems'], '', 'MEMs in which to allow execution (0-3, 0,1)'),
    blkioWeight: fs.int(['-blkio-weight'], 0, 'Block IO (relative weight), between 10 and 1000'),
    net: fs.string(['-net'], 'bridge', 'Set the Network mode for the container'),
    macAddress: fs.string(['-mac-address'], '', 'Container MAC address (e.g. 92:d0:c6:0a:29:33)'),
    ipc: fs.string(['-ipc'], '', 'IPC namespace to use'),
    restart: fs.string(['-restart'], 'no', 'Restart policy to apply when a container exits'),
    readOnly: fs.bool(['-read-only'], false, "Mount the container's root filesystem as read only"),
    logDriver: fs.string(['-log-driver'], '', 'Logging driver for container'),
    cgroupParent: fs.string(['-cgroup-parent'], '', 'Optional parent cgroup for the container'),
    name: fs.string(['#name', '-name'], '', 'Assign a name to the container'),
    resources: defineResourceFlags(fs),
  };
}

const ATTACH_STREAMS = ['stdin', 'stdout', 'stderr'];

const ULIMIT_NAMES = new Set([
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc',
  'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
]);

/** opts.ValidateEnv: `NAME` alone takes its value from the client's environment when it is set there. */
export function envEntry(value: string, env: NodeJS.ProcessEnv): string {
  if (value.includes('=')) return value;
  const fromEnv = env[value];
  return fromEnv === undefined ? value : `${value}=${fromEnv}`;
}

/** opts.ParseEnvFile: KEY=VALUE lines, `#` comments and blank lines skipped, bare names from the environment. */
export function parseEnvFile(path: string, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.replace(/^\s+/, '').replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq >= 0 ? line.slice(0, eq) : line;
    if (/\s/.test(name)) throw new RunConfigError(`poorly formatted environment: variable '${name}' has white spaces`);
    out.push(eq >= 0 ? line : `${line}=${env[line] ?? ''}`);
  }
  return out;
}

/** parsers.ParsePortRange: `80` or `8000-8010`. */
function portRange(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

/** Why parsers.ParsePortRange refuses a range, in its words (strconv's for a bad number). */
function portRangeProblem(text: string): string {
  if (text === '') return 'Empty string specified for ports.';
  for (const part of text.split('-').slice(0, 2)) {
    if (!/^\d+$/.test(part)) return `strconv.ParseUint: parsing ${JSON.stringify(part)}: invalid syntax`;
    if (Number(part) > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(part)}: value out of range`;
  }
  return `Invalid range specified for the Port: ${text}`;
}

/** nat.SplitProtoPort: `80/udp` → ['udp', '80']; tcp when no protocol is given. */
function splitProtoPort(spec: string): [string, string] {
  const slash = spec.indexOf('/');
  if (slash < 0) return ['tcp', spec];
  return [spec.slice(slash + 1) || 'tcp', spec.slice(0, slash)];
}

/** nat.ParsePortSpecs: `-p` values → exposed ports and port bindings. */
export function parsePortSpecs(specs: readonly string[]): {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, PortBinding[]>;
} {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const spec of specs) {
    let raw = spec;
    let proto = 'tcp';
    const slash = raw.lastIndexOf('/');
    if (slash >= 0) {
      proto = raw.slice(slash + 1);
      raw = raw.slice(0, slash);
    }
    const parts = raw.split(':');
    if (parts.length > 3) throw new RunConfigError(`Invalid port format: ${spec}`);
    const [ip, hostPort, containerPort] = parts.length === 1 ? ['', '', raw] : parts.length === 2 ? ['', parts[0] as string, parts[1] as string] : (parts as [string, string, string]);
    if (ip !== '' && isIP(ip) === 0) throw new RunConfigError(`Invalid ip address: ${ip}`);
    if (containerPort === '') throw new RunConfigError(`No port specified: ${spec}<empty>`);
    const cRange = portRange(containerPort);
    if (!cRange) throw new RunConfigError(`Invalid containerPort: ${containerPort}`);
    const hRange = hostPort === '' ? undefined : portRange(hostPort);
    if (hostPort !== '' && !hRange) throw new RunConfigError(`Invalid hostPort: ${hostPort}`);
    if (hRange && hRange[1] - hRange[0] !== cRange[1] - cRange[0]) {
      throw new RunConfigError(`Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    }
    if (!['tcp', 'udp'].includes(proto.toLowerCase())) throw new RunConfigError(`Invalid proto: ${proto}`);
    for (let i = 0; i <= cRange[1] - cRange[0]; i++) {
      const key = `${cRange[0] + i}/${proto.toLowerCase()}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: ip, HostPort: hRange ? String(hRange[0] + i) : '' });
    }
  }
  return { exposed, bindings };
}

/** opts.ValidatePath for `-v`: at most two colons, an absolute container path, the path cleaned. */
function validateVolume(value: string): string {
  if ((value.match(/:/g) ?? []).length > 2) throw new RunConfigError(`bad format for volumes: ${value}`);
  const colon = value.indexOf(':');
  const containerPath = colon < 0 ? value : value.slice(colon + 1);
  if (!containerPath.startsWith('/')) throw new RunConfigError(`${containerPath} is not an absolute path`);
  return colon < 0 ? posix.normalize(value) : `${value.slice(0, colon)}:${posix.normalize(containerPath)}`;
}

/** runconfig.ParseDevice: `host[:container[:permissions]]`. */
function parseDevice(spec: string): DeviceMapping {
  const parts = spec.split(':');
  if (parts.length > 3 || parts[0] === '') throw new RunConfigError(`Invalid device specification: ${spec}`);
  const [src, dst, perms] = parts as [string, string | undefined, string | undefined];
  return { PathOnHost: src, PathInContainer: dst || src, CgroupPermissions: perms ?? 'rwm' };
}

/** ulimit.Parse: `nofile=1024[:2048]`. */
function parseUlimit(spec: string): Ulimit {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new RunConfigError(`invalid ulimit argument: ${spec}`);
  const name = spec.slice(0, eq);
  if (!ULIMIT_NAMES.has(name)) throw new RunConfigError(`invalid ulimit type: ${name}`);
  const limits = spec.slice(eq + 1).split(':');
  if (limits.length > 2 || !limits.every((l) => /^-?\d+$/.test(l))) throw new RunConfigError(`invalid ulimit argument: ${spec}`);
  const soft = Number(limits[0]);
  const hard = limits[1] === undefined ? soft : Number(limits[1]);
  if (soft > hard) throw new RunConfigError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: name, Hard: hard, Soft: soft };
}

/** runconfig.ParseRestartPolicy: `no`, `always`, `on-failure[:max-retry]`. */
export function parseRestartPolicy(policy: string): { Name: string; MaximumRetryCount: number } {
  if (policy === '') return { Name: '', MaximumRetryCount: 0 };
  const [name = '', count, ...extra] = policy.split(':');
  const p = { Name: name, MaximumRetryCount: 0 };
  if (name === 'always') {
    if (count !== undefined) throw new RunConfigError('maximum restart count not valid with restart policy of "always"');
  } else if (name === 'on-failure') {
    if (count !== undefined) {
      if (!/^[+-]?\d+$/.test(count) || extra.length > 0) {
        throw new RunConfigError(`strconv.ParseInt: parsing ${JSON.stringify(count)}: invalid syntax`);
      }
      p.MaximumRetryCount = Number(count);
    }
  } else if (name !== 'no') {
    throw new RunConfigError(`invalid restart policy ${name}`);
  }
  return p;
}

function validateIp(value: string): string {
  const ip = value.trim();
  if (isIP(ip) === 0) throw new RunConfigError(`${value} is not an ip address`);
  return ip;
}

function validateDnsSearch(value: string): string {
  const domain = value.trim();
  if (domain === '.') return domain;
  const ok = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.?$/.test(domain);
  if (!ok || domain.length > 255) throw new RunConfigError(`${value} is not a valid domain`);
  return domain;
}

function validateExtraHost(value: string): string {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new RunConfigError(`bad format for add-host: ${value}`);
  if (isIP(value.slice(colon + 1).trim()) === 0) throw new RunConfigError(`invalid IP address in add-host: ${value.slice(colon + 1)}`);
  return value;
}

function validateMac(value: string): void {
  if (!/^[0-9a-fA-F]{2}([:-])(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}$/.test(value)) {
    throw new RunConfigError(`${value} is not a valid mac address`);
  }
}

/** `KEY=VALUE` lines of label/log-opt lists as a map (a key alone maps to ""). */
export function keyValueMap(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq < 0) out[e] = '';
    else out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

function parseLogOpts(driver: string, opts: readonly string[]): Record<string, string> {
  if (driver === 'none' && opts.length > 0) throw new RunConfigError(`Invalid logging opts for driver ${driver}`);
  for (const o of opts) if (!o.includes('=')) throw new RunConfigError(`Unable to parse key/value option: ${o}`);
  return keyValueMap(opts);
}

function parseMemory(text: string): number {
  try {
    return ramInBytes(text);
  } catch (err) {
    throw new RunConfigError((err as Error).message);
  }
}

function isNamespaceMode(mode: string, allowContainer: boolean): boolean {
  if (mode === '' || mode === 'host') return true;
  return allowContainer && /^container:.+/.test(mode);
}

/**
 * docker 1.7's `runconfig.Parse` after the flags were parsed: `args` are IMAGE [COMMAND] [ARG...].
 * Returns the create body and the name, or throws RunConfigError with docker's message.
 */
export function buildRunConfig(f: RunFlags, args: readonly string[], env: NodeJS.ProcessEnv): RunConfig {
  const [image = '', ...cmd] = args;
  const attach = f.attach.value.map((s) => {
    const stream = s.toLowerCase();
    if (!ATTACH_STREAMS.includes(stream)) throw new RunConfigError('valid streams are STDIN, STDOUT and STDERR');
    return stream;
  });
  if (f.macAddress.value !== '') validateMac(f.macAddress.value);
  const attachStdin = attach.includes('stdin') || f.stdin.value;
  const attachAll = attach.length === 0;

  const memory = f.memory.value === '' ? 0 : parseMemory(f.memory.value);
  const swap = f.memorySwap.value;
  const memorySwap = swap === '' ? 0 : swap === '-1' ? -1 : parseMemory(swap);

  const volumes: Record<string, Record<string, never>> = {};
  const binds: string[] = [];
  for (const v of f.volumes.value.map(validateVolume)) {
    const parts = v.split(':');
    if (parts.length > 1) {
      if (parts[1] === '/') throw new RunConfigError("Invalid bind mount: destination can't be '/'");
      binds.push(v);
    } else if (v === '/') {
      throw new RunConfigError("Invalid volume: path can't be '/'");
    } else {
      volumes[v] = {};
    }
  }

  const mounts = f.mounts.value.map((m) => {
    try {
      return parseMountFlag(m);
    } catch (e) {
      throw new RunConfigError(`invalid argument "${m}" for "--mount" flag: ${(e as Error).message}`);
    }
  });

  let hostname = f.hostname.value;
  let domainname = '';
  const dot = hostname.indexOf('.');
  if (dot >= 0) {
    domainname = hostname.slice(dot + 1);
    hostname = hostname.slice(0, dot);
  }

  const net = f.net.value;
  const sharedNet = net === 'host' || net.startsWith('container:');
  if (sharedNet && f.hostname.value !== '') throw new RunConfigError('Conflicting options: -h and the network mode (--net)');
  if (net === 'host' && f.links.value.length > 0) {
    throw new RunConfigError("Conflicting options: --net=host can't be used with links. This would result in undefined behavior");
  }
  if (net.startsWith('container:') && f.links.value.length > 0) {
    throw new RunConfigError("Conflicting options: --net=container can't be used with links. This would result in undefined behavior");
  }
  if (sharedNet && f.dns.value.length > 0) throw new RunConfigError('Conflicting options: --dns and the network mode (--net)');

  const { exposed, bindings } = parsePortSpecs(f.publish.value);
  for (const e of f.expose.value) {
    if (e.includes(':')) throw new RunConfigError(`Invalid port format for --expose: ${e}`);
    const [proto, port] = splitProtoPort(e);
    const range = portRange(port);
    if (!range) throw new RunConfigError(`Invalid range format for --expose: ${e}, error: ${portRangeProblem(port)}`);
    for (let p = range[0]; p <= range[1]; p++) exposed[`${p}/${proto}`] ??= {};
  }

  const envList = [...f.envFile.value.flatMap((file) => parseEnvFile(file, env)), ...f.env.value.map((e) => envEntry(e, env))];
  const labelList = [...f.labelFile.value.flatMap((file) => parseEnvFile(file, env)), ...f.labels.value.map((l) => envEntry(l, env))];

  if (!isNamespaceMode(f.ipc.value, true)) throw new RunConfigError('--ipc: invalid IPC mode');
  if (!isNamespaceMode(f.pid.value, true)) throw new RunConfigError('--pid: invalid PID mode');
  if (!isNamespaceMode(f.uts.value, false)) throw new RunConfigError('--uts: invalid UTS mode');

  const openStdin = f.stdin.value;
  const body: ContainerCreateBody = {
    Hostname: hostname,
    Domainname: domainname,
    User: f.user.value,
    AttachStdin: attachStdin,
    AttachStdout: attachAll || attach.includes('stdout'),
    AttachStderr: attachAll || attach.includes('stderr'),
    ExposedPorts: exposed,
    Tty: f.tty.value,
    OpenStdin: openStdin,
    // When allocating stdin in attached mode, close stdin at client disconnect.
    StdinOnce: openStdin && attachStdin,
    Env: envList,
    Cmd: cmd.length > 0 ? cmd : null,
    Image: image,
    Volumes: volumes,
    WorkingDir: f.workdir.value,
    Entrypoint: f.entrypoint.value !== '' ? [f.entrypoint.value] : null,
    MacAddress: f.macAddress.value,
    Labels: keyValueMap(labelList),
    HostConfig: {
      Binds: binds.length > 0 ? binds : null,
      ...(mounts.length > 0 ? { Mounts: mounts } : {}),
      ...(f.tmpfs.value.length > 0 ? { Tmpfs: tmpfsMap(f.tmpfs.value) } : {}),
      ContainerIDFile: f.cidfile.value,
      Memory: memory,
      MemorySwap: memorySwap,
      CpuShares: f.cpuShares.value,
      CpuPeriod: f.cpuPeriod.value,
      CpuQuota: f.cpuQuota.value,
      CpusetCpus: f.cpusetCpus.value,
      CpusetMems: f.cpusetMems.value,
      BlkioWeight: f.blkioWeight.value,
      OomKillDisable: f.oomKillDisable.value,
      Privileged: f.privileged.value,
      PortBindings: bindings,
      Links: f.links.value,
      PublishAllPorts: f.publishAll.value,
      Dns: f.dns.value.map(validateIp),
      DnsSearch: f.dnsSearch.value.map(validateDnsSearch),
      ExtraHosts: f.extraHosts.value.map(validateExtraHost),
      VolumesFrom: f.volumesFrom.value,
      NetworkMode: net,
      IpcMode: f.ipc.value,
      PidMode: f.pid.value,
      UTSMode: f.uts.value,
      Devices: f.devices.value.map(parseDevice),
      CapAdd: f.capAdd.value,
      CapDrop: f.capDrop.value,
      RestartPolicy: parseRestartPolicy(f.restart.value),
      SecurityOpt: securityOpts(f.securityOpt.value),
      ReadonlyRootfs: f.readOnly.value,
      Ulimits: f.ulimits.value.map(parseUlimit),
      LogConfig: { Type: f.logDriver.value, Config: parseLogOpts(f.logDriver.value, f.logOpts.value) },
      CgroupParent: f.cgroupParent.value,
      ...resourceHostConfig(f.resources),
    },
  };
  return { body, name: f.name.value };
}
