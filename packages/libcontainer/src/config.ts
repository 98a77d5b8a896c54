import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { capabilityMask, DOCKER_DEFAULT_CAPABILITIES, hostBoundingSet } from './capabilities.js';
import type { Cgroup } from './cgroups/index.js';
import { DEFAULT_DEVICES, DEFAULT_MASKED_PATHS, DEFAULT_MOUNTS, DEFAULT_READONLY_PATHS, DEFAULT_SYMLINKS } from './defaults.js';
import { MS } from './mount.js';
import { parseMountOptions } from './mount-options.js';
import type { Capabilities, ContainerSpec, IdMap, Mount, NamespaceType, User } from './spec.js';

/**
 * The config file the monitor reads (native/src/container/config.h): records of a key and a fixed
 * number of fields, each NUL-terminated.
 */
export class ConfigWriter {
  private readonly parts: string[] = [];

  add(key: string, ...fields: (string | number)[]): this {
    for (const v of [key, ...fields]) {
      const s = String(v);
      if (s.includes('\0')) throw new Error(`config value for ${key} contains a NUL byte`);
      this.parts.push(s);
    }
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.parts.map((p) => `${p}\0`).join(''), 'utf8');
  }
}

const RLIMITS = [
  'CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS', 'LOCKS', 'SIGPENDING',
  'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME',
];

/** RLIMIT_NOFILE or Docker's `nofile` → the resource number. */
export function rlimitNumber(type: string): number {
  const n = RLIMITS.indexOf(type.toUpperCase().replace(/^RLIMIT_/, ''));
  if (n < 0) throw new Error(`invalid ulimit type: ${type}`);
  return n;
}

const NS_DEFAULT_NEW: readonly NamespaceType[] = ['mount', 'uts', 'ipc', 'pid', 'net'];
const NS_ALL: readonly NamespaceType[] = ['user', 'mount', 'uts', 'ipc', 'pid', 'net', 'cgroup'];
const NS_C_NAME: Record<NamespaceType, string> = { mount: 'mnt', uts: 'uts', ipc: 'ipc', pid: 'pid', net: 'net', user: 'user', cgroup: 'cgroup' };

function idMap(maps: IdMap[]): string {
  return maps.map((m) => `${m.containerId} ${m.hostId} ${m.size}\n`).join('');
}

export interface ResolvedCaps {
  bounding: bigint;
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  ambient: bigint;
}

/** The five sets, intersected with what this host allows (so --privileged works under a reduced bounding set). */
export function resolveCapabilities(spec: Pick<ContainerSpec, 'privileged' | 'capabilities'>, host = hostBoundingSet()): ResolvedCaps {
  if (spec.privileged) return { bounding: host, effective: host, permitted: host, inheritable: 0n, ambient: 0n };
  const defaults = capabilityMask(DOCKER_DEFAULT_CAPABILITIES);
  const c: Partial<Capabilities> = spec.capabilities ?? {};
  const mask = (names: string[] | undefined, fallback: bigint) => (names ? capabilityMask(names) : fallback) & host;
  return {
    bounding: mask(c.bounding, defaults),
    effective: mask(c.effective, defaults),
    permitted: mask(c.permitted, defaults),
    inheritable: mask(c.inheritable, 0n),
    ambient: mask(c.ambient, 0n),
  };
}

/**
 * A cgroup mount: v1, a tmpfs holding a read-only bind of the container's own directory per
 * hierarchy; v2, the container's directory itself, as Docker shows cgroup2 at /sys/fs/cgroup.
 */
function cgroupMountOps(w: ConfigWriter, m: Mount, cgroup: CgroupPlacement): void {
  const { flags } = parseMountOptions(m.options ?? []);
  const base = flags & (MS.NOSUID | MS.NODEV | MS.NOEXEC);
  if (cgroup.version === 2) {
    w.add('mount', cgroup.paths.unified ?? '', m.destination, '', MS.BIND | base | (flags & MS.RDONLY), '');
    return;
  }
  w.add('mount', 'tmpfs', m.destination, 'tmpfs', base, 'mode=755');
  const seen = new Set<string>();
  for (const [name, dir] of Object.entries(cgroup.paths)) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    w.add('mount', dir, join(m.destination, name), '', MS.BIND | base | (flags & MS.RDONLY), '');
  }
  if (flags & MS.RDONLY) w.add('mount', 'tmpfs', m.destination, 'tmpfs', MS.REMOUNT | MS.RDONLY | base, 'mode=755');
}

function mountOps(w: ConfigWriter, m: Mount, cgroup: CgroupPlacement): void {
  if (m.type === 'cgroup') return cgroupMountOps(w, m, cgroup);
  const { flags, data } = parseMountOptions(m.options ?? []);
  if (m.type === 'bind') {
    if (!m.source) throw new Error(`bind mount to ${m.destination} has no source`);
    // Docker binds recursively and privately unless told otherwise
    const propagation = flags & (MS.PRIVATE | MS.SLAVE | MS.SHARED | MS.UNBINDABLE) ? 0 : MS.PRIVATE | MS.REC;
    w.add('mount', m.source, m.destination, '', flags | MS.BIND | (flags & MS.BIND ? 0 : MS.REC) | propagation, '');
    return;
  }
  const source = m.source ?? m.type;
  w.add('mount', source, m.destination, m.type, flags, data);
}

/** What the config needs of the container's cgroup. */
export type CgroupPlacement = Pick<Cgroup, 'version' | 'paths' | 'procsFiles' | 'oomFile'>;

export interface CompileInput {
  spec: ContainerSpec;
  user: User;
  cgroup: CgroupPlacement;
  /** Path of the compiled seccomp filter, when there is one. */
  seccompFile?: string;
}

/** Compiles a container spec into the monitor's config records, in the order the init applies them. */
export function compileConfig({ spec, user, cgroup, seccompFile }: CompileInput): ConfigWriter {
  const w = new ConfigWriter();
  w.add('rootfs', spec.rootfs);
  for (const a of spec.args) w.add('arg', a);
  for (const e of spec.env ?? []) w.add('env', e);
  w.add('cwd', spec.cwd || '/');
  const ns = spec.namespaces ?? {};
  // names are set only in a UTS namespace of the container's own (never the host's or a joined one)
  if ((ns.uts ?? { mode: 'new' }).mode === 'new') {
    if (spec.hostname) w.add('hostname', spec.hostname);
    if (spec.domainname) w.add('domainname', spec.domainname);
  }

  for (const type of NS_ALL) {
    const setting = ns[type] ?? { mode: NS_DEFAULT_NEW.includes(type) ? 'new' : 'host' };
    if (setting.mode === 'new') w.add('clone', NS_C_NAME[type]);
    else if (setting.mode === 'join') w.add('join', NS_C_NAME[type], setting.path);
  }
  if (ns.user?.mode === 'new') {
    if (!spec.uidMappings?.length || !spec.gidMappings?.length) throw new Error('a new user namespace needs uid and gid mappings');
    w.add('uid_map', idMap(spec.uidMappings));
    w.add('gid_map', idMap(spec.gidMappings));
  }

  const newMountNs = (ns.mount ?? { mode: 'new' }).mode === 'new';
  if (newMountNs) {
    if (spec.rootfsPropagation) w.add('rootfs_propagation', parseMountOptions([spec.rootfsPropagation]).flags);
    const userns = ns.user !== undefined && ns.user.mode !== 'host';
    // a user namespace may mount an mqueue only for an IPC namespace it owns: the host's is bound
    // (none when the host has none mounted)
    const hostMqueue = userns && ns.ipc?.mode === 'host';
    const defaults = DEFAULT_MOUNTS.flatMap((m): Mount[] => {
      if (spec.privileged && m.type === 'sysfs') return [{ ...m, options: (m.options ?? []).filter((o) => o !== 'ro') }];
      if (hostMqueue && m.type === 'mqueue') return existsSync(m.destination) ? [{ type: 'bind', source: m.destination, destination: m.destination, options: m.options ?? [] }] : [];
      return [m];
    });
    for (const m of defaults) mountOps(w, m, cgroup);
    // a user namespace may not mknod: bind the host's nodes instead, as runc does
    for (const d of spec.devices ?? DEFAULT_DEVICES) {
      const type = { c: 0o020000, b: 0o060000, p: 0o010000 }[d.type];
      if (userns) w.add('mount', d.path, d.path, '', MS.BIND, '');
      else w.add('mknod', d.path, ((d.fileMode ?? 0o666) | type).toString(8), d.major, d.minor, d.uid ?? 0, d.gid ?? 0);
    }
    for (const [target, path] of DEFAULT_SYMLINKS) w.add('symlink', target, path);
    for (const m of spec.mounts ?? []) mountOps(w, m, cgroup);
    if (spec.readonlyRootfs) w.add('rootfs_readonly');
  }

  for (const [k, v] of Object.entries(spec.sysctls ?? {})) w.add('sysctl', k, v);
  if (!spec.privileged) {
    for (const p of spec.readonlyPaths ?? DEFAULT_READONLY_PATHS) w.add('readonly', p);
    for (const p of spec.maskedPaths ?? DEFAULT_MASKED_PATHS) w.add('masked', p);
  }
  for (const r of spec.rlimits ?? []) w.add('rlimit', rlimitNumber(r.type), r.soft, r.hard);
  if (spec.oomScoreAdj !== undefined) w.add('oom_score_adj', spec.oomScoreAdj);
  if (spec.noNewPrivileges) w.add('no_new_privs');
  if (seccompFile) w.add('seccomp', seccompFile);
  const caps = resolveCapabilities(spec);
  w.add('caps', ...[caps.bounding, caps.effective, caps.permitted, caps.inheritable, caps.ambient].map((c) => c.toString(16)));
  w.add('user', user.uid, user.gid, (user.additionalGids ?? []).join(','));
  if (spec.tty) w.add('tty');
  if (spec.openStdin) w.add('stdin');
  for (const f of cgroup.procsFiles) w.add('cgroup_procs', f);
  if (cgroup.oomFile) w.add('oom_file', cgroup.oomFile);
  if (spec.log) w.add('log', spec.log.path, spec.log.maxSize ?? 0, spec.log.maxFile ?? 1);
  return w;
}
