import { existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { FilterArgs, MountPoint, MountRequest, Volume, VolumeListResponse, VolumePruneResponse } from '@berth/api-types';
import {
  ConflictError,
  InvalidParameterError,
  NotFoundError,
  formatRFC3339Nano,
  matchKeyValueList,
  nowNanos,
  validateFilterKeys,
  versionLessThan,
} from '@berth/api-types';
import type { IdPair } from '@berth/graph-aufs';
import type { Mount } from '@berth/libcontainer';
import type { EventsBus } from '../events/index.js';
import { generateId } from '../ids/index.js';
import { copyImageContent } from './copyup.js';
import { mountLocal, needsMount, unmountLocal, validateLocalOptions } from './local.js';
import { ANONYMOUS_LABEL, validateVolumeName } from './names.js';
import { checkSpecialDestination, parseBind, parseMount, parseTmpfs, parseVolumesFrom } from './parse.js';
import { VolumeStore, type VolumeRow } from './store.js';
import type { MountPointRecord, WantedMount } from './types.js';

/** A container as the volumes see it. */
export interface VolumeUser {
  id: string;
  running: boolean;
  mounts: readonly MountPointRecord[];
}

/** What a container create asks to mount. */
export interface MountsRequest {
  binds: readonly string[] | null;
  mounts: readonly MountRequest[];
  tmpfs: Record<string, string>;
  /** Config.Volumes: the image's VOLUMEs and `-v /path`. */
  volumes: readonly string[];
  volumesFrom: readonly string[] | null;
  /** `--volume-driver`: the driver of the volumes this create makes. */
  volumeDriver: string;
  privileged: boolean;
}

const depth = (p: string): number => p.split('/').filter((c) => c !== '').length;

/** Bytes under `path` (the local driver's usage figure), never following a mount's symlinks. */
function diskUsage(path: string): number {
  let total = 0;
  try {
    for (const e of readdirSync(path, { withFileTypes: true })) {
      const p = join(path, e.name);
      total += e.isDirectory() ? diskUsage(p) : lstatSync(p).size;
    }
  } catch {
    // vanished meanwhile
  }
  return total;
}

/**
 * The engine's volumes: the local driver's named and anonymous volumes (the /volumes API), and
 * the mounts of containers (binds, volumes, tmpfs, --volumes-from) from create to exit.
 */
export class EngineVolumes {
  private readonly store: VolumeStore;

  constructor(
    db: Database.Database,
    root: string,
    private readonly events: EventsBus,
    private readonly users: () => VolumeUser[],
    dataOwner?: IdPair,
  ) {
    this.store = new VolumeStore(db, root, dataOwner);
  }

  // --- the /volumes API ---------------------------------------------------------------------

  /** `POST /volumes/create`: an existing volume of that name is returned as it is. */
  create(req: { Name?: string | null; Driver?: string | null; DriverOpts?: Record<string, string> | null; Labels?: Record<string, string> | null }): Volume {
    return this.toVolume(this.ensure(req.Name || generateId(), req.Driver ?? '', req.Labels ?? {}, req.DriverOpts ?? null));
  }

  private ensure(name: string, driver: string, labels: Record<string, string>, options: Record<string, string> | null): VolumeRow {
    if (driver !== '' && driver !== 'local') {
      throw new NotFoundError(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    }
    try {
      validateVolumeName(name);
      validateLocalOptions(options ?? {});
    } catch (e) {
      throw new InvalidParameterError(`create ${name}: ${(e as Error).message}`);
    }
    const existing = this.store.get(name);
    if (existing) return existing;
    const row: VolumeRow = { name, driver: 'local', createdNs: nowNanos(), labels: { ...labels }, options: options && { ...options } };
    this.store.insert(row);
    this.events.log('volume', 'create', name, { driver: 'local' });
    return row;
  }

  /** `GET /volumes/{name}`. */
  inspect(name: string): Volume {
    return this.toVolume(this.get(name));
  }

  private get(name: string): VolumeRow {
    const row = this.store.get(name);
    if (!row) throw new NotFoundError(`get ${name}: no such volume`);
    return row;
  }

  /** `GET /volumes` with the dangling, driver, label and name filters. */
  list(filters: FilterArgs = new Map()): VolumeListResponse {
    validateFilterKeys(filters, ['dangling', 'driver', 'label', 'name']);
    let dangling: boolean | undefined;
    for (const v of filters.get('dangling') ?? []) {
      if (!['true', '1', 'false', '0'].includes(v.toLowerCase())) throw new InvalidParameterError(`invalid filter 'dangling=${v}'`);
      dangling = v === 'true' || v === '1';
    }
    const used = this.usedNames();
    const rows = this.store.list().filter((v) => {
      if (dangling !== undefined && used.has(v.name) === dangling) return false;
      const drivers = filters.get('driver');
      if (drivers?.size && !drivers.has(v.driver)) return false;
      const names = filters.get('name');
      if (names?.size && ![...names].some((n) => v.name.includes(n))) return false;
      return matchKeyValueList(filters, 'label', v.labels);
    });
    return { Volumes: rows.map((r) => this.toVolume(r)), Warnings: [] };
  }

  /** `DELETE /volumes/{name}`: refused while a container (running or not) references it. */
  remove(name: string, opts: { force?: boolean } = {}): void {
    const row = this.store.get(name);
    if (!row) {
      if (opts.force) return;
      throw new NotFoundError(`get ${name}: no such volume`);
    }
    const refs = this.users()
      .filter((u) => u.mounts.some((m) => m.Type === 'volume' && m.Name === name))
      .map((u) => u.id);
    if (refs.length > 0) throw new ConflictError(`remove ${name}: volume is in use - [${refs.join(', ')}]`);
    this.store.delete(name);
    this.events.log('volume', 'destroy', name, { driver: row.driver });
  }

  /**
   * `POST /volumes/prune`: unused volumes, only anonymous ones unless `all=true` (API 1.42 and
   * later; before, every unused volume).
   */
  prune(filters: FilterArgs = new Map(), apiVersion = '1.44'): VolumePruneResponse {
    validateFilterKeys(filters, ['label', 'label!', 'all']);
    const allValues = [...(filters.get('all') ?? [])];
    for (const v of allValues) {
      if (!['true', '1', 'false', '0'].includes(v.toLowerCase())) throw new InvalidParameterError(`invalid filter 'all=${v}'`);
    }
    const all = versionLessThan(apiVersion, '1.42') || allValues.some((v) => v === 'true' || v === '1');
    const used = this.usedNames();
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of this.store.list()) {
      if (used.has(v.name) || (!all && !(ANONYMOUS_LABEL in v.labels))) continue;
      if (!matchKeyValueList(filters, 'label', v.labels)) continue;
      const without = filters.get('label!');
      if (without?.size && [...without].some((l) => matchKeyValueList(new Map([['l', new Set([l])]]), 'l', v.labels))) continue;
      const size = needsMount(v.options) ? 0 : diskUsage(this.store.dataPath(v.name));
      this.store.delete(v.name);
      this.events.log('volume', 'destroy', v.name, { driver: v.driver });
      deleted.push(v.name);
      reclaimed += size;
    }
    this.events.log('volume', 'prune', '', { reclaimed: String(reclaimed) });
    return { VolumesDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  private usedNames(): Set<string> {
    return new Set(this.users().flatMap((u) => u.mounts.filter((m) => m.Type === 'volume').map((m) => m.Name ?? '')));
  }

  private toVolume(v: VolumeRow): Volume {
    return {
      CreatedAt: formatRFC3339Nano((v.createdNs / 1_000_000_000n) * 1_000_000_000n),
      Driver: v.driver,
      Labels: v.labels,
      Mountpoint: this.store.dataPath(v.name),
      Name: v.name,
      Options: v.options,
      Scope: 'local',
    };
  }

  // --- containers ---------------------------------------------------------------------------

  /**
   * The mount points of a new container, in Docker's order of precedence: --volumes-from, then
   * binds and --mount (which may not repeat a destination), then the image's VOLUMEs where
   * nothing else is mounted. Named volumes are created when missing, anonymous ones always.
   */
  resolve(req: MountsRequest, mountsOf: (container: string) => readonly MountPointRecord[]): MountPointRecord[] {
    const points = new Map<string, MountPointRecord>();
    for (const raw of req.volumesFrom ?? []) {
      const { container, rw } = parseVolumesFrom(raw);
      for (const m of mountsOf(container)) {
        const { CopyData: _copied, ...inherited } = m;
        points.set(m.Destination, { ...inherited, RW: rw ?? m.RW });
      }
    }
    const wanted = [...(req.binds ?? []).map(parseBind), ...req.mounts.map(parseMount)];
    const tmpfs = Object.entries(req.tmpfs).map(([dest, opts]) => parseTmpfs(dest, opts));
    const seen = new Set<string>();
    for (const w of [...wanted, ...tmpfs]) {
      if (seen.has(w.destination)) throw new InvalidParameterError(`Duplicate mount point: ${w.destination}`);
      seen.add(w.destination);
      checkSpecialDestination(w.destination, req.privileged);
    }
    const created: string[] = [];
    try {
      for (const w of wanted) points.set(w.destination, this.mountPoint(w, req.volumeDriver, created));
      for (const t of tmpfs) points.delete(t.destination);
      for (const dest of req.volumes) {
        if (points.has(dest) || seen.has(dest)) continue;
        checkSpecialDestination(dest, req.privileged);
        const anon: WantedMount = { type: 'volume', source: '', destination: dest, rw: true, mode: '', propagation: '', copyData: true };
        points.set(dest, this.mountPoint(anon, req.volumeDriver, created));
      }
    } catch (e) {
      for (const name of created) this.store.delete(name);
      throw e;
    }
    return [...points.values()].sort((a, b) => depth(a.Destination) - depth(b.Destination));
  }

  private mountPoint(w: WantedMount, volumeDriver: string, created: string[]): MountPointRecord {
    const common = { Destination: w.destination, Mode: w.mode, RW: w.rw, Propagation: w.propagation };
    if (w.type === 'bind') {
      if (w.createSource && !existsSync(w.source)) mkdirSync(w.source, { recursive: true, mode: 0o755 });
      return { Type: 'bind', Source: w.source, ...common };
    }
    if (w.type === 'tmpfs') return { Type: 'tmpfs', Source: '', ...common, ...(w.tmpfsData ? { TmpfsData: w.tmpfsData } : {}) };
    const anonymous = w.source === '';
    const name = anonymous ? generateId() : w.source;
    const existed = this.store.get(name) !== undefined;
    const labels = anonymous ? { [ANONYMOUS_LABEL]: '' } : (w.volumeLabels ?? {});
    this.ensure(name, w.driver ?? volumeDriver, labels, w.driverOptions ?? null);
    if (!existed) created.push(name);
    return { Type: 'volume', Name: name, Source: this.store.dataPath(name), Driver: 'local', ...common, CopyData: w.copyData };
  }

  /**
   * Readies a container's mounts before it starts: local volumes with a device are mounted,
   * fresh volumes get the image's content (then CopyData is cleared in `points`). Returns the
   * libcontainer mounts, parents before children.
   */
  setup(containerId: string, points: MountPointRecord[], tmpfs: Record<string, string>, rootfs: string): Mount[] {
    const mounts: Mount[] = [];
    for (const p of points) {
      const ro = p.RW ? 'rw' : 'ro';
      if (p.Type === 'tmpfs') {
        mounts.push(tmpfsMount(p.Destination, [ro, ...(p.TmpfsData ? [p.TmpfsData] : [])]));
        continue;
      }
      if (p.Type === 'volume') {
        const v = this.get(p.Name ?? '');
        const data = this.store.dataPath(v.name);
        if (needsMount(v.options)) mountLocal(v.options ?? {}, data);
        if (p.CopyData) {
          copyImageContent(rootfs, p.Destination, data);
          p.CopyData = false;
        }
        this.events.log('volume', 'mount', v.name, {
          container: containerId,
          destination: p.Destination,
          driver: v.driver,
          propagation: p.Propagation,
          'read/write': String(p.RW),
        });
      }
      mounts.push({ type: 'bind', source: p.Source, destination: p.Destination, options: ['rbind', ro, p.Propagation || 'rprivate'] });
    }
    for (const [dest, opts] of Object.entries(tmpfs)) {
      mounts.push(tmpfsMount(dest, opts.split(',').filter((o) => o !== '')));
    }
    return mounts.sort((a, b) => depth(a.destination) - depth(b.destination));
  }

  /** After a container's exit: a device volume no running container uses any more is unmounted. */
  release(containerId: string, points: readonly MountPointRecord[]): void {
    if (!points.some((p) => p.Type === 'volume')) return;
    const running = this.users().filter((u) => u.running && u.id !== containerId);
    for (const p of points) {
      if (p.Type !== 'volume' || !p.Name) continue;
      this.events.log('volume', 'unmount', p.Name, { container: containerId, driver: p.Driver ?? 'local' });
      const v = this.store.get(p.Name);
      if (!v || !needsMount(v.options)) continue;
      if (running.some((u) => u.mounts.some((m) => m.Name === p.Name))) continue;
      unmountLocal(this.store.dataPath(v.name));
    }
  }

  /** `rm -v`: the container's anonymous volumes that no other container references. */
  removeAnonymous(containerId: string, points: readonly MountPointRecord[]): void {
    if (!points.some((p) => p.Type === 'volume')) return;
    const others = this.users().filter((u) => u.id !== containerId);
    for (const p of points) {
      if (p.Type !== 'volume' || !p.Name) continue;
      const v = this.store.get(p.Name);
      if (!v || !(ANONYMOUS_LABEL in v.labels)) continue;
      if (others.some((u) => u.mounts.some((m) => m.Name === p.Name))) continue;
      this.store.delete(v.name);
      this.events.log('volume', 'destroy', v.name, { driver: v.driver });
    }
  }
}

/** Docker's tmpfs defaults (noexec, nosuid, nodev) with the user's options after them. */
function tmpfsMount(destination: string, options: string[]): Mount {
  return { type: 'tmpfs', source: 'tmpfs', destination, options: ['noexec', 'nosuid', 'nodev', ...options] };
}

/** A container's mounts as inspect and `/containers/json` show them. */
export function mountsForApi(points: readonly MountPointRecord[] | undefined): MountPoint[] {
  return (points ?? []).map((p) => ({
    Type: p.Type,
    ...(p.Type === 'volume' ? { Name: p.Name ?? '' } : {}),
    Source: p.Source,
    Destination: p.Destination,
    ...(p.Type === 'volume' ? { Driver: p.Driver ?? 'local' } : {}),
    Mode: p.Mode,
    RW: p.RW,
    Propagation: p.Propagation,
  }));
}
