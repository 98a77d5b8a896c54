import { readFileSync } from 'node:fs';
import { hostname as hostHostname } from 'node:os';
import { join } from 'node:path';
import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import { CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES } from '@berth/libcontainer';
import type { Capabilities, ContainerSpec, Mount, NamespaceSetting, Resources } from '@berth/libcontainer';
import { containerEnv, withHome } from '../config/index.js';
import type { ContainerRecord } from './record.js';

/** `--net` modes this engine honours so far (bridge networking comes with the network stack). */
export function networkMode(h: HostConfig): 'host' | 'none' | 'private' {
  if (h.NetworkMode === 'host') return 'host';
  if (h.NetworkMode === 'none') return 'none';
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

function resources(h: HostConfig): Resources {
  const r: Resources = {};
  if (h.Memory > 0) r.memory = h.Memory;
  if (h.MemorySwap !== 0) r.memorySwap = h.MemorySwap;
  if (h.MemoryReservation > 0) r.memoryReservation = h.MemoryReservation;
  if (h.MemorySwappiness !== null && h.MemorySwappiness !== undefined) r.memorySwappiness = h.MemorySwappiness;
  if (h.OomKillDisable) r.oomKillDisable = true;
  if (h.CpuShares > 0) r.cpuShares = h.CpuShares;
  if (h.CpuPeriod > 0) r.cpuPeriod = h.CpuPeriod;
  if (h.CpuQuota > 0) r.cpuQuota = h.CpuQuota;
  if (h.NanoCpus > 0) {
    r.cpuPeriod = 100000;
    r.cpuQuota = Math.round(h.NanoCpus / 10000);
  }
  if (h.CpusetCpus) r.cpusetCpus = h.CpusetCpus;
  if (h.CpusetMems) r.cpusetMems = h.CpusetMems;
  if (h.BlkioWeight > 0) r.blkioWeight = h.BlkioWeight;
  if (h.PidsLimit) r.pidsLimit = h.PidsLimit;
  return r;
}

/** What the spec needs besides the stored record. */
export interface SpecContext {
  id: string;
  rootfs: string;
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
  const env = withHome(containerEnv({ hostname, tty: c.Tty, env: c.Env ?? [] }), homeOf(ctx.rootfs, c.User));
  const namespaces: Partial<Record<'net' | 'uts' | 'ipc' | 'pid', NamespaceSetting>> = {
    net: net === 'host' ? { mode: 'host' } : { mode: 'new' },
  };
  if (h.IpcMode === 'host') namespaces.ipc = { mode: 'host' };
  if (h.PidMode === 'host') namespaces.pid = { mode: 'host' };
  if (h.UTSMode === 'host') namespaces.uts = { mode: 'host' };
  const bind = (source: string, destination: string): Mount => ({ type: 'bind', source, destination, options: ['rbind', 'rprivate'] });
  const mounts: Mount[] = [
    bind(rec.ResolvConfPath, '/etc/resolv.conf'),
    bind(rec.HostnamePath, '/etc/hostname'),
    bind(rec.HostsPath, '/etc/hosts'),
  ];
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
    resources: resources(h),
    tty: c.Tty,
    openStdin: c.OpenStdin,
    log: { path: rec.LogPath },
  };
  if (c.User) spec.user = c.User;
  const caps = capabilitySets(h);
  if (caps) spec.capabilities = caps;
  if ((h.SecurityOpt ?? []).some((o) => o === 'seccomp=unconfined' || o === 'seccomp:unconfined')) spec.seccomp = 'unconfined';
  if ((h.SecurityOpt ?? []).includes('no-new-privileges') || (h.SecurityOpt ?? []).includes('no-new-privileges:true')) {
    spec.noNewPrivileges = true;
  }
  if (h.OomScoreAdj) spec.oomScoreAdj = h.OomScoreAdj;
  if (h.Ulimits.length > 0) spec.rlimits = h.Ulimits.map((u) => ({ type: u.Name, soft: u.Soft, hard: u.Hard }));
  return spec;
}
