import { createReadStream, createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { posix } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Change } from './archive/changes.js';
import { DigestTap, sniffLayer, uncompressed } from './archive/decompress.js';
import type { Db } from './db.js';
import { chainId, randomId } from './digest.js';
import type { Driver } from './drivers/driver.js';
import { rootPair, type IdMapping } from './idmap.js';
import { setupInitLayer } from './init-layer.js';

/** A read-only layer, identified by its chain ID. */
export interface Layer {
  chainId: string;
  diffId: string;
  parent: string | null;
  /** The driver's directory name for it. */
  cacheId: string;
  /** Bytes of file content in this layer alone. */
  size: number;
}

/** A container's read-write layer (with its `-init` layer below). */
export interface RWLayer {
  name: string;
  mountId: string;
  initId: string | null;
  parent: string | null;
}

interface LayerRow {
  chain_id: string;
  diff_id: string;
  parent: string | null;
  cache_id: string;
  size: number;
}

function toLayer(r: LayerRow): Layer {
  return { chainId: r.chain_id, diffId: r.diff_id, parent: r.parent, cacheId: r.cache_id, size: r.size };
}

/** Resolves when `s` takes writes again; fails if it was closed instead (its reader gave up). */
function drained(s: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      s.off('drain', done);
      s.off('close', done);
      if (s.destroyed) reject(new Error('layer stream closed early'));
      else resolve();
    };
    if (s.destroyed) return done();
    s.on('drain', done);
    s.on('close', done);
  });
}

/** Copies a stream into several, at the pace of the slowest. */
async function tee(source: Readable, sinks: PassThrough[]): Promise<void> {
  try {
    for await (const chunk of source) {
      for (const s of sinks) if (!s.write(chunk)) await drained(s);
    }
    for (const s of sinks) s.end();
  } catch (err) {
    for (const s of sinks) s.destroy(err as Error);
    throw err;
  }
}

export class LayerNotFoundError extends Error {
  constructor(id: string) {
    super(`layer does not exist: ${id}`);
  }
}

/**
 * Layers by chain ID over a driver. Each layer keeps the exact tar it was registered from
 * (gzip, in `<root>/layerdata/`), so saving an image reproduces its diffIDs byte for byte.
 * Metadata is written last: whatever a crash leaves on disk without a row is removed on open.
 */
export class LayerStore {
  private readonly dataDir: string;

  constructor(
    readonly db: Db,
    readonly driver: Driver,
    root: string,
    /** `--userns-remap`: who owns the init layer's files. */
    private readonly idMap?: IdMapping,
  ) {
    this.dataDir = posix.join(root, 'layerdata');
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.removeOrphans();
  }

  /** Removes driver layers and layer data that no metadata row references (crash leftovers). */
  private removeOrphans(): void {
    const known = new Set<string>();
    for (const r of this.db.prepare('SELECT cache_id FROM graph_layers').all() as Array<{ cache_id: string }>) known.add(r.cache_id);
    for (const r of this.db.prepare('SELECT mount_id, init_id FROM graph_rw_layers').all() as Array<{ mount_id: string; init_id: string | null }>) {
      known.add(r.mount_id);
      if (r.init_id) known.add(r.init_id);
    }
    for (const id of this.driver.ids()) if (!known.has(id)) this.driver.remove(id);
    for (const f of readdirSync(this.dataDir)) {
      if (!known.has(f.replace(/\.tar\.gz$/, ''))) rmSync(posix.join(this.dataDir, f), { force: true });
    }
  }

  private row(chain: string): LayerRow | undefined {
    return this.db.prepare('SELECT * FROM graph_layers WHERE chain_id = ?').get(chain) as LayerRow | undefined;
  }

  get(chain: string): Layer {
    const r = this.row(chain);
    if (!r) throw new LayerNotFoundError(chain);
    return toLayer(r);
  }

  has(chain: string): boolean {
    return this.row(chain) !== undefined;
  }

  list(): Layer[] {
    return (this.db.prepare('SELECT * FROM graph_layers ORDER BY chain_id').all() as LayerRow[]).map(toLayer);
  }

  /**
   * Registers a layer from a tar stream (plain or gzip) on `parent`, computing its diffID while
   * unpacking. A gzip stream is kept as it came as the layer's compressed copy (a pulled blob
   * stays the registry's blob, digest and all); a plain one is compressed for it. The caller
   * holds one reference on the result (release it with `release`).
   */
  async register(tar: Readable, parent: string | null): Promise<Layer> {
    const parentRow = parent === null ? null : this.row(parent);
    if (parent !== null && !parentRow) throw new LayerNotFoundError(parent);
    const layer = await sniffLayer(tar);
    const cacheId = randomId();
    const dataFile = posix.join(this.dataDir, `${cacheId}.tar.gz`);
    const partial = `${dataFile}.partial`;
    this.driver.create(cacheId, parentRow?.cache_id ?? null);
    const digest = new DigestTap();
    const copy = new PassThrough();
    const unpack = new PassThrough();
    const gzipped = layer.compression === 'gzip';
    const stored = createWriteStream(partial);
    const tasks = [
      this.driver.applyDiff(cacheId, parentRow?.cache_id ?? null, gzipped ? uncompressed({ compression: 'gzip', stream: unpack }, digest) : unpack),
      gzipped ? pipeline(copy, stored) : pipeline(copy, createGzip({ level: 1 }), stored),
      tee(gzipped ? layer.stream : uncompressed(layer, digest), [copy, unpack]),
    ] as const;
    try {
      const [size] = await Promise.all(tasks);
      renameSync(partial, dataFile);
      const diffId = digest.digest();
      const chain = chainId(parent, diffId);
      const created = this.db.transaction(() => {
        const existing = this.row(chain);
        if (existing) {
          this.db.prepare('UPDATE graph_layers SET refs = refs + 1 WHERE chain_id = ?').run(chain);
          return existing;
        }
        this.db
          .prepare('INSERT INTO graph_layers (chain_id, diff_id, parent, cache_id, size, tar_size, refs) VALUES (?, ?, ?, ?, ?, ?, 1)')
          .run(chain, diffId, parent, cacheId, size, digest.size());
        if (parent !== null) this.db.prepare('UPDATE graph_layers SET refs = refs + 1 WHERE chain_id = ?').run(parent);
        return null;
      })();
      if (created) {
        this.discard(cacheId);
        return toLayer(created);
      }
      return this.get(chain);
    } catch (err) {
      for (const stream of [layer.stream, tar, digest, copy, unpack]) stream.destroy();
      await Promise.allSettled(tasks);
      // A failed pipeline settles without waiting for the file stream to close, and one destroyed
      // while still opening creates the file when the open completes: removed only after that.
      if (!stored.closed) await new Promise<void>((resolve) => stored.once('close', () => resolve()));
      this.discard(cacheId);
      rmSync(partial, { force: true });
      throw err;
    }
  }

  private discard(cacheId: string): void {
    this.driver.remove(cacheId);
    rmSync(posix.join(this.dataDir, `${cacheId}.tar.gz`), { force: true });
  }

  /** Takes one more reference on a layer. */
  retain(chain: string): void {
    if (this.db.prepare('UPDATE graph_layers SET refs = refs + 1 WHERE chain_id = ?').run(chain).changes === 0) throw new LayerNotFoundError(chain);
  }

  /** Drops a reference; a layer nobody references is deleted, then its parent loses one. */
  release(chain: string): void {
    const doomed: LayerRow[] = [];
    this.db.transaction(() => {
      let current: string | null = chain;
      while (current !== null) {
        const r = this.row(current);
        if (!r) throw new LayerNotFoundError(current);
        const refs = (this.db.prepare('SELECT refs FROM graph_layers WHERE chain_id = ?').get(current) as { refs: number }).refs - 1;
        if (refs > 0) {
          this.db.prepare('UPDATE graph_layers SET refs = ? WHERE chain_id = ?').run(refs, current);
          break;
        }
        this.db.prepare('DELETE FROM graph_layers WHERE chain_id = ?').run(current);
        doomed.push(r);
        current = r.parent;
      }
    })();
    for (const r of doomed) this.discard(r.cache_id);
  }

  /** The exact tar (uncompressed) the layer was registered from. */
  tarStream(chain: string): Readable {
    const l = this.get(chain);
    return uncompressed({ compression: 'gzip', stream: createReadStream(posix.join(this.dataDir, `${l.cacheId}.tar.gz`)) });
  }

  /** The layer's tar as stored, gzip-compressed: what a push uploads as the layer blob. */
  compressedPath(chain: string): string {
    return posix.join(this.dataDir, `${this.get(chain).cacheId}.tar.gz`);
  }

  /** Size of the layer's tar, uncompressed. */
  tarSize(chain: string): number {
    return (this.db.prepare('SELECT tar_size FROM graph_layers WHERE chain_id = ?').get(chain) as { tar_size: number } | undefined)?.tar_size ?? 0;
  }

  /** The chain from the base layer up to `chain`. */
  ancestry(chain: string): Layer[] {
    const out: Layer[] = [];
    let cur: string | null = chain;
    while (cur !== null) {
      const l = this.get(cur);
      out.unshift(l);
      cur = l.parent;
    }
    return out;
  }

  /** Size of the layer plus all its ancestors. */
  virtualSize(chain: string | null): number {
    return chain === null ? 0 : this.ancestry(chain).reduce((s, l) => s + l.size, 0);
  }

  /** Mounts a read-only layer for reading; pair with `putLayer`. */
  mountLayer(chain: string): string {
    return this.driver.get(this.get(chain).cacheId);
  }

  putLayer(chain: string): void {
    this.driver.put(this.get(chain).cacheId);
  }

  // --- read-write layers -------------------------------------------------------------------

  private rwRow(name: string): RWLayer {
    const r = this.db.prepare('SELECT * FROM graph_rw_layers WHERE name = ?').get(name) as
      | { name: string; mount_id: string; init_id: string | null; parent: string | null }
      | undefined;
    if (!r) throw new Error(`read-write layer does not exist: ${name}`);
    return { name: r.name, mountId: r.mount_id, initId: r.init_id, parent: r.parent };
  }

  getRW(name: string): RWLayer {
    return this.rwRow(name);
  }

  /**
   * A container's read-write layer on `parent`: an `<id>-init` layer with Docker's init files
   * (unless `init` is false), and the writable layer on top.
   */
  createRW(name: string, parent: string | null, options: { init?: boolean } = {}): RWLayer {
    const parentCache = parent === null ? null : this.get(parent).cacheId;
    const mountId = randomId();
    const initId = options.init === false ? null : `${mountId}-init`;
    try {
      if (initId !== null) {
        this.driver.create(initId, parentCache);
        const rootfs = this.driver.get(initId);
        try {
          setupInitLayer(rootfs, rootPair(this.idMap));
        } finally {
          this.driver.put(initId);
        }
      }
      this.driver.create(mountId, initId ?? parentCache);
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO graph_rw_layers (name, mount_id, init_id, parent, created) VALUES (?, ?, ?, ?, ?)')
          .run(name, mountId, initId, parent, new Date().toISOString());
        if (parent !== null) this.retain(parent);
      })();
    } catch (err) {
      this.driver.remove(mountId);
      if (initId !== null) this.driver.remove(initId);
      throw err;
    }
    return { name, mountId, initId, parent };
  }

  /** Mounts the container's root filesystem (reference-counted); returns its path. */
  mountRW(name: string): string {
    return this.driver.get(this.rwRow(name).mountId);
  }

  unmountRW(name: string): void {
    this.driver.put(this.rwRow(name).mountId);
  }

  private rwBelow(rw: RWLayer): string | null {
    return rw.initId ?? (rw.parent === null ? null : this.get(rw.parent).cacheId);
  }

  changesRW(name: string): Change[] {
    const rw = this.rwRow(name);
    return this.driver.changes(rw.mountId, this.rwBelow(rw));
  }

  /** The container's changes as a layer tar with AUFS whiteouts. */
  diffRW(name: string): Readable {
    const rw = this.rwRow(name);
    return this.driver.diff(rw.mountId, this.rwBelow(rw));
  }

  /** `SizeRw` and `SizeRootFs` of `docker ps -s` / inspect. */
  sizeRW(name: string): { size: number; virtualSize: number } {
    const rw = this.rwRow(name);
    const size = this.driver.diffSize(rw.mountId, this.rwBelow(rw));
    return { size, virtualSize: size + this.virtualSize(rw.parent) };
  }

  removeRW(name: string): void {
    const rw = this.rwRow(name);
    this.driver.remove(rw.mountId);
    if (rw.initId !== null) this.driver.remove(rw.initId);
    this.db.prepare('DELETE FROM graph_rw_layers WHERE name = ?').run(name);
    if (rw.parent !== null) this.release(rw.parent);
  }

  listRW(): RWLayer[] {
    return (this.db.prepare('SELECT name FROM graph_rw_layers ORDER BY name').all() as Array<{ name: string }>).map((r) => this.rwRow(r.name));
  }
}

