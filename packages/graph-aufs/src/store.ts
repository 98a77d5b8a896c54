import { mkdirSync, rmSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { treeTar } from './archive/diff.js';
import { ensureSchema, openDb, type Db } from './db.js';
import type { Driver } from './drivers/driver.js';
import { selectDriver } from './drivers/select.js';
import type { IdMapping } from './idmap.js';
import { ImageStore, type Image, type ImageConfig } from './images.js';
import { LayerStore } from './layers.js';

export interface OpenOptions {
  /** The engine's root directory (`/var/lib/berth`). */
  root: string;
  /** Storage driver name; default: the one this root used before, else the best available. */
  driver?: string;
  /** A database the caller opened (shared with the engine); default `<root>/berth.db`. */
  db?: Db;
  /** `--userns-remap`'s ranges: layers are extracted with owners shifted into them, and shifted back in diffs. */
  idMap?: IdMapping;
}

/** What a commit or import writes into the new image's config. */
export interface CommitOptions {
  /** The container's (or import's) runtime config, Docker's `config`. */
  config?: Record<string, unknown>;
  containerConfig?: Record<string, unknown>;
  container?: string;
  author?: string;
  comment?: string;
  /** `created_by` of the history entry. */
  createdBy?: string;
  created?: Date;
}

const hostArch = (): string => ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' })[process.arch as string] ?? process.arch;

/** The graph: a driver, the layer store and the image store on one root. */
export class GraphStore {
  private constructor(
    readonly root: string,
    readonly db: Db,
    readonly driver: Driver,
    readonly layers: LayerStore,
    readonly images: ImageStore,
    private readonly ownsDb: boolean,
    /** `--userns-remap`'s ranges, when the graph is remapped. */
    readonly idMap?: IdMapping,
  ) {}

  static open(options: OpenOptions): GraphStore {
    mkdirSync(options.root, { recursive: true, mode: 0o700 });
    const db = options.db ?? openDb(posix.join(options.root, 'berth.db'));
    if (options.db) ensureSchema(db);
    const saved = db.prepare("SELECT value FROM graph_meta WHERE key = 'driver'").get() as { value: string } | undefined;
    const driver = selectDriver(options.root, options.driver ?? saved?.value, options.idMap);
    db.prepare("INSERT OR REPLACE INTO graph_meta (key, value) VALUES ('driver', ?)").run(driver.name);
    // Unpacked archives a crashed load left behind.
    rmSync(posix.join(options.root, 'tmp'), { recursive: true, force: true });
    const layers = new LayerStore(db, driver, options.root, options.idMap);
    return new GraphStore(options.root, db, driver, layers, new ImageStore(db, layers), options.db === undefined, options.idMap);
  }

  /** `Storage Driver` and its status lines for `docker info`. */
  info(): { driver: string; status: Array<[string, string]> } {
    return { driver: this.driver.name, status: this.driver.status() };
  }

  /** Serialises a config in Docker's key order and stores it. */
  storeConfig(config: ImageConfig, parent: string | null): Image {
    return this.images.create(Buffer.from(JSON.stringify(config)), parent);
  }

  /**
   * `docker commit`: the container's changes become a new layer on its image's layers and a new
   * image whose parent is `imageId` (null for a container made from no image).
   */
  async commit(rwName: string, imageId: string | null, options: CommitOptions = {}): Promise<Image> {
    const parent = imageId === null ? null : this.images.get(imageId);
    const rw = this.layers.getRW(rwName);
    const layer = await this.layers.register(this.layers.diffRW(rwName), rw.parent);
    try {
      const created = (options.created ?? new Date()).toISOString();
      const base = parent?.config;
      const config: ImageConfig = {
        architecture: base?.architecture ?? hostArch(),
        ...(options.author ? { author: options.author } : {}),
        ...(options.comment ? { comment: options.comment } : {}),
        config: options.config ?? base?.config ?? {},
        container: options.container ?? rwName,
        container_config: options.containerConfig ?? options.config ?? {},
        created,
        docker_version: '1.7.1',
        history: [...(base?.history ?? []), { created, ...(options.author ? { author: options.author } : {}), ...(options.createdBy ? { created_by: options.createdBy } : {}), ...(options.comment ? { comment: options.comment } : {}) }],
        os: base?.os ?? 'linux',
        ...(parent ? { parent: parent.id } : {}),
        rootfs: { type: 'layers', diff_ids: [...(base?.rootfs.diff_ids ?? []), layer.diffId] },
      };
      return this.storeConfig(config, parent?.id ?? null);
    } finally {
      this.layers.release(layer.chainId); // the image now holds its own reference
    }
  }

  /** `docker import`: a root filesystem tar as a one-layer image without parent. */
  async importImage(tar: Readable, options: CommitOptions & { reference?: string } = {}): Promise<Image> {
    const layer = await this.layers.register(tar, null);
    try {
      const created = (options.created ?? new Date()).toISOString();
      const config: ImageConfig = {
        architecture: hostArch(),
        ...(options.comment ? { comment: options.comment } : {}),
        config: options.config ?? {},
        created,
        docker_version: '1.7.1',
        history: [{ created, created_by: options.createdBy ?? '', ...(options.comment ? { comment: options.comment } : {}) }],
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      };
      const img = this.storeConfig(config, null);
      if (options.reference) this.images.tag(img.id, options.reference, true);
      return this.images.get(img.id);
    } finally {
      this.layers.release(layer.chainId);
    }
  }

  /** `docker export`: the container's whole filesystem as a tar; unmounts when the tar ends. */
  exportRW(rwName: string): Readable {
    const rootfs = this.layers.mountRW(rwName);
    const tar = treeTar(rootfs, this.idMap);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.layers.unmountRW(rwName);
    };
    tar.once('end', release);
    tar.once('close', release);
    tar.once('error', release);
    return tar;
  }

  close(): void {
    this.driver.cleanup();
    if (this.ownsDb) this.db.close();
  }
}
