import { readFileSync } from 'node:fs';
import { hostname as hostHostname } from 'node:os';
import { join } from 'node:path';
import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import { CAPABILITIES, DEFAULT_DEVICES, DOCKER_DEFAULT_CAPABILITIES } from '@berth/libcontainer';
import type { Capabilities, ContainerSpec, Mount, NamespaceSetting } from '@berth/libcontainer';
import { containerEnv, withHome } from '../config/index.js';
import { cgroupResources, containerUser, hostDevices, mappedDevices, securityOptions, type SysInfo } from '../resources/index.js';
import type { ContainerRecord } from './record.js';

/** How a container's network stack is made: the host's, an empty one, another container's, or its own. */
export function networkMode(h: HostConfig): 'host' | 'none' | 'container' | 'private' {
  if (h.NetworkMode === 'host') return 'host';
  if (h.NetworkMode === 'none') return 'none';
  if (h.NetworkMode.startsWith('container:')) return 'container';
  return 'private';
}

/** The home directory of `user` (name or uid, before any `:group`) in the rootfs's /etc/passwd. */
export function homeOf(rootfs: string, user: string): string {
  const who = (user.split(':')[0] ?? '') || '0';
  try {
    for (const line of readFileSync(join(rootfs, 'etc/passwd'), 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length >= 6 && (f[0] === who || f[2] === who)) return f[5] ?? '/';
    }
  } catch {
    // no passwd file: HOME=/
  }
  return '/';
}

const capName = (c: string): string => {
  const up = c.toUpperCase();
  return up.startsWith('CAP_') ? up : `CAP_${up}`;
};

/** Docker's default capabilities with `--cap-add` / `--cap-drop` (`ALL` in either) applied. */
export function capabilitySets(h: HostConfig): Capabilities | undefined {
  const add = (h.CapAdd ?? []).map(capName);
  const drop = (h.CapDrop ?? []).map(capName);
  if (add.length === 0 && drop.length === 0) return undefined;
  for (const c of [...add, ...drop]) {
    if (c !== 'CAP_ALL' && !CAPABILITIES.includes(c)) throw new InvalidParameterError(`unknown capability: "${c}"`);
  }
  let set = new Set(add.includes('CAP_ALL') ? CAPABILITIES : DOCKER_DEFAULT_CAPABILITIES);
  if (drop.includes('CAP_ALL')) set = new Set();
  for (const c of add) if (c !== 'CAP_ALL') set.add(c);
  for (const c of drop) set.delete(c);
  const list = [...set];
  return { bounding: list, effective: list, permitted: list, inheritable: list, ambient: [] };
}

/** What the spec needs besides the stored record. */
export interface SpecContext {
  id: string;
  rootfs: string;
  sys: SysInfo;
  /** The container's binds, volumes and tmpfs mounts. */
  mounts?: Mount[];
  /** The namespaces to join (`--net|--ipc|--pid container:<name>`): /proc/PID/ns/TYPE paths. */
  join?: Partial<Record<'net' | 'ipc' | 'pid', string>>;
  /** The environment of `--link`s (the container's own Env overrides it). */
  linkEnv?: string[];
}

/** The running containers a container shares namespaces with, by their init's pid (and the network's record). */
export interface SharedWith {
  net?: { pid: number; record: ContainerRecord };
  ipc?: { pid: number };
  pid?: { pid: number };
}

/**
 * SpecContext's `join` for the namespaces shared with other containers. A joined IPC namespace
 * shares System V IPC; the other's /dev/shm is not shared (Docker keeps each container's /dev/shm
 * as a mount on the host to bind it; berth's lives in the container's own mount namespace).
 */
export function joinedNamespaces(shared: SharedWith): Pick<SpecContext, 'join'> {
  const join: NonNullable<SpecContext['join']> = {};
  if (shared.net) join.net = `/proc/${shared.net.pid}/ns/net`;
  if (shared.ipc) join.ipc = `/proc/${shared.ipc.pid}/ns/ipc`;
  if (shared.pid) join.pid = `/proc/${shared.pid.pid}/ns/pid`;
  return { join };
}

/**
 * The libcontainer spec of a container: its process (path, args, env with PATH, HOSTNAME,
 * HOME and TERM, user, cwd), namespaces, the network files bind-mounted over /etc, Docker's
 * defaults for mounts, devices, capabilities and seccomp, limits and the json-file log.
 */
export function containerSpec(rec: ContainerRecord, ctx: SpecContext): ContainerSpec {
  const c = rec.Config;
  const h = rec.HostConfig;
  const net = networkMode(h);
  const hostname = net === 'host' ? hostHostname() : c.Hostname;
  const env = withHome(containerEnv({ hostname, tty: c.Tty, env: c.Env ?? [], linkEnv: ctx.linkEnv ?? [] }), homeOf(ctx.rootfs, c.User));
  const namespaces: Partial<Record<'net' | 'uts' | 'ipc' | 'pid' | 'cgroup', NamespaceSetting>> = {
    net: net === 'host' ? { mode: 'host' } : ctx.join?.net ? { mode: 'join', path: ctx.join.net } : { mode: 'new' },
  };
  if (h.IpcMode === 'host') namespaces.ipc = { mode: 'host' };
  else if (ctx.join?.ipc) namespaces.ipc = { mode: 'join', path: ctx.join.ipc };
  if (h.PidMode === 'host') namespaces.pid = { mode: 'host' };
  else if (ctx.join?.pid) namespaces.pid = { mode: 'join', path: ctx.join.pid };
  if (h.UTSMode === 'host') namespaces.uts = { mode: 'host' };
  // Docker's default on a v2 host (and --cgroupns=private): the container sees its cgroup as /
  if (h.CgroupnsMode === 'private') namespaces.cgroup = { mode: 'new' };
  const bind = (source: string, destination: string): Mount => ({ type: 'bind', source, destination, options: ['rbind', 'rprivate'] });
  const userMounts = ctx.mounts ?? [];
  // A user's mount at /etc/hosts (resolv.conf, hostname) replaces the engine's file.
  const mounts: Mount[] = [
    bind(rec.ResolvConfPath, '/etc/resolv.conf'),
    bind(rec.HostnamePath, '/etc/hostname'),
    bind(rec.HostsPath, '/etc/hosts'),
  ].filter((m) => !userMounts.some((u) => u.destination === m.destination));
  mounts.push(...userMounts);
  if (h.ShmSize !== 64 * 1024 * 1024) {
    mounts.push({ type: 'tmpfs', source: 'shm', destination: '/dev/shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${h.ShmSize}`] });
  }
  const spec: ContainerSpec = {
    rootfs: ctx.rootfs,
    readonlyRootfs: h.ReadonlyRootfs,
    args: [rec.Path, ...rec.Args],
    env,
    cwd: c.WorkingDir || '/',
    hostname,
    domainname: c.Domainname,
    namespaces,
    mounts,
    privileged: h.Privileged,
    maskedPaths: [...(h.MaskedPaths ?? [])],
    readonlyPaths: [...(h.ReadonlyPaths ?? [])],
    resources: cgroupResources(h),
    tty: c.Tty,
    openStdin: c.OpenStdin,
    log: { path: rec.LogPath },
  };
  const user = containerUser(ctx.rootfs, c.User, h.GroupAdd ?? []);
  if (user !== undefined) spec.user = user;
  const caps = capabilitySets(h);
  if (caps) spec.capabilities = caps;
  const security = securityOptions(h.SecurityOpt ?? [], ctx.sys);
  if (security.seccomp) spec.seccomp = security.seccomp;
  if (security.noNewPrivileges) spec.noNewPrivileges = true;
  if (h.Devices.length > 0 || h.Privileged) {
    const mapped = h.Devices.map(mappedDevices);
    // --privileged sees every host device; a path appears once (the defaults, then the host's, then --device)
    const devices = new Map(DEFAULT_DEVICES.map((dev) => [dev.path, dev]));
    for (const dev of [...(h.Privileged ? hostDevices() : []), ...mapped.flatMap((m) => m.devices)]) devices.set(dev.path, dev);
    spec.devices = [...devices.values()];
    spec.resources = { ...spec.resources, devices: mapped.flatMap((m) => m.rules) };
  }
  if (h.Sysctls && Object.keys(h.Sysctls).length > 0) spec.sysctls = { ...h.Sysctls };
  if (h.OomScoreAdj) spec.oomScoreAdj = h.OomScoreAdj;
  if (h.Ulimits.length > 0) spec.rlimits = h.Ulimits.map((u) => ({ type: u.Name, soft: u.Soft, hard: u.Hard }));
  return spec;
}
