import type { Db } from './db.js';
import { chainIds, hex, sha256 } from './digest.js';
import type { LayerStore } from './layers.js';
import { familiarString, formatReference, parseReference, validateRepoName, validateTag, withDefaultTag, type Reference } from './reference.js';

/** Docker's image config (the JSON whose sha256 is the image ID). */
export interface ImageConfig {
  architecture: string;
  os: string;
  created?: string;
  author?: string;
  comment?: string;
  container?: string;
  docker_version?: string;
  config?: Record<string, unknown>;
  container_config?: Record<string, unknown>;
  parent?: string;
  history?: Array<{ created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }>;
  rootfs: { type: 'layers'; diff_ids: string[] };
  [key: string]: unknown;
}

export interface Image {
  /** `sha256:<hex>` of `raw`. */
  id: string;
  raw: Buffer;
  config: ImageConfig;
  parent: string | null;
  /** Chain ID of the top layer; null for an image without layers. */
  topLayer: string | null;
  /** Full references (`docker.io/library/busybox:latest`, `…@sha256:…`). */
  references: string[];
}

export interface ImageSummary extends Image {
  repoTags: string[];
  repoDigests: string[];
  created: string;
  /** Bytes this image's own layer adds. */
  size: number;
  /** Bytes of all its layers. */
  virtualSize: number;
}

/** `docker rmi` output records. */
export type DeleteRecord = { Untagged: string } | { Deleted: string };

export interface DeleteOptions {
  force?: boolean;
  noprune?: boolean;
  /** The engine's answer to "which container uses this image?". */
  usedBy?: (imageId: string) => { container: string; running: boolean } | null;
}

export class NoSuchImageError extends Error {
  readonly statusCode = 404;
  constructor(name: string) {
    super(`No such image: ${name}`);
  }
}

export class ImageConflictError extends Error {
  readonly statusCode = 409;
}

interface Row {
  id: string;
  config: Buffer;
  parent: string | null;
  top_layer: string | null;
}

const short = (id: string) => hex(id).slice(0, 12);

/** Images by ID, their parent links and references, over a layer store. */
export class ImageStore {
  constructor(
    readonly db: Db,
    readonly layers: LayerStore,
  ) {}

  private toImage(r: Row): Image {
    const refs = (this.db.prepare('SELECT name FROM graph_refs WHERE image_id = ? ORDER BY name').all(r.id) as Array<{ name: string }>).map((x) => x.name);
    return { id: r.id, raw: r.config, config: JSON.parse(r.config.toString('utf8')) as ImageConfig, parent: r.parent, topLayer: r.top_layer, references: refs };
  }

  /**
   * Stores an image config (the exact bytes: they define the ID). Its layers must be registered;
   * the image holds a reference on its top layer. Storing an existing image is a no-op.
   */
  create(raw: Buffer, parent: string | null = null): Image {
    const id = sha256(raw);
    const config = JSON.parse(raw.toString('utf8')) as ImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    const top = diffIds.length === 0 ? null : (chainIds(diffIds).at(-1) as string);
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM graph_images WHERE id = ?').get(id)) return;
      if (top !== null) this.layers.retain(top);
      this.db
        .prepare('INSERT INTO graph_images (id, config, parent, top_layer, created) VALUES (?, ?, ?, ?, ?)')
        .run(id, raw, parent, top, config.created ?? new Date().toISOString());
    })();
    return this.get(id);
  }

  get(id: string): Image {
    const r = this.db.prepare('SELECT * FROM graph_images WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new NoSuchImageError(id);
    return this.toImage(r);
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM graph_images WHERE id = ?').get(id) !== undefined;
  }

  /** The images whose parent is `id`; null: those without a parent (what `FROM scratch` steps make). */
  children(id: string | null): string[] {
    return (this.db.prepare('SELECT id FROM graph_images WHERE parent IS ? ORDER BY id').all(id) as Array<{ id: string }>).map((r) => r.id);
  }

  /**
   * Docker's lookup: a full `sha256:` ID, then a reference (`busybox` = `busybox:latest`), then a
   * unique ID prefix.
   */
  resolve(input: string): Image {
    if (/^sha256:[a-f0-9]{64}$/.test(input) && this.has(input)) return this.get(input);
    let ref: Reference | null = null;
    try {
      ref = withDefaultTag(parseReference(input));
    } catch {
      // Not a reference; maybe an ID prefix.
    }
    if (ref !== null) {
      const hit = this.db.prepare('SELECT image_id FROM graph_refs WHERE name = ?').get(formatReference(ref)) as { image_id: string } | undefined;
      if (hit) return this.get(hit.image_id);
    }
    const prefix = input.startsWith('sha256:') ? input.slice(7) : input;
    if (/^[a-f0-9]+$/.test(prefix)) {
      const ids = (this.db.prepare("SELECT id FROM graph_images WHERE id LIKE ? ESCAPE '\\'").all(`sha256:${prefix}%`) as Array<{ id: string }>).map((r) => r.id);
      if (ids.length > 1) throw new Error(`multiple IDs found with provided prefix: ${prefix}`);
      if (ids.length === 1) return this.get(ids[0] as string);
    }
    throw new NoSuchImageError(input);
  }

  /** `docker tag`: an existing tag conflicts unless forced, as in the book. */
  tag(imageId: string, reference: string, force = false): string {
    const ref = withDefaultTag(parseReference(reference));
    validateRepoName(ref);
    if (ref.tag !== null) validateTag(ref.tag);
    const name = formatReference(ref);
    this.db.transaction(() => {
      const old = this.db.prepare('SELECT image_id FROM graph_refs WHERE name = ?').get(name) as { image_id: string } | undefined;
      if (old && !force) {
        throw new ImageConflictError(`Conflict: Tag ${ref.tag ?? ref.digest} is already set to image ${hex(old.image_id)}, if you want to replace it, please use -f option`);
      }
      if (!this.has(imageId)) throw new NoSuchImageError(imageId);
      this.db.prepare('INSERT OR REPLACE INTO graph_refs (name, image_id) VALUES (?, ?)').run(name, imageId);
    })();
    return name;
  }

  /** Removes a reference; returns the image it pointed to. */
  untag(reference: string): string {
    const name = formatReference(withDefaultTag(parseReference(reference)));
    const hit = this.db.prepare('SELECT image_id FROM graph_refs WHERE name = ?').get(name) as { image_id: string } | undefined;
    if (!hit) throw new NoSuchImageError(reference);
    this.db.prepare('DELETE FROM graph_refs WHERE name = ?').run(name);
    return hit.image_id;
  }

  private ownSize(img: Image): number {
    if (img.topLayer === null) return 0;
    const parentTop = img.parent !== null && this.has(img.parent) ? this.get(img.parent).topLayer : null;
    return parentTop === img.topLayer ? 0 : this.layers.get(img.topLayer).size;
  }

  summary(img: Image): ImageSummary {
    const familiar = img.references.map((r) => familiarString(parseReference(r)));
    return {
      ...img,
      repoTags: familiar.filter((r) => !r.includes('@')),
      repoDigests: familiar.filter((r) => r.includes('@')),
      created: img.config.created ?? '',
      size: this.ownSize(img),
      virtualSize: this.layers.virtualSize(img.topLayer),
    };
  }

  /** Every image, newest first. */
  list(): ImageSummary[] {
    const rows = this.db.prepare('SELECT * FROM graph_images ORDER BY created DESC, id').all() as Row[];
    return rows.map((r) => this.summary(this.toImage(r)));
  }

  /** The image and its parents, newest first (`docker history`). */
  history(id: string): Image[] {
    const out: Image[] = [];
    let cur: string | null = id;
    while (cur !== null && this.has(cur)) {
      const img = this.get(cur);
      out.push(img);
      cur = img.parent;
    }
    return out;
  }

  /** `docker rmi` with Docker's untag/delete/prune rules and conflict messages. */
  delete(input: string, options: DeleteOptions = {}): DeleteRecord[] {
    const img = this.resolve(input);
    const records: DeleteRecord[] = [];
    const byReference = this.isReference(input, img.id);
    if (byReference !== null) {
      const using = options.usedBy?.(img.id);
      if (using && img.references.length === 1 && !options.force) {
        throw new ImageConflictError(
          `conflict: unable to remove repository reference ${JSON.stringify(input)} (must force) - container ${short(using.container)} is using its referenced image ${short(img.id)}`,
        );
      }
      this.untag(byReference);
      records.push({ Untagged: familiarString(parseReference(byReference)) });
      if (img.references.length > 1) return records;
      this.deleteHelper(img.id, records, options, true);
      return records;
    }
    if (img.references.length > 1 && !options.force) {
      throw new ImageConflictError(`conflict: unable to delete ${short(img.id)} (must be forced) - image is referenced in multiple repositories`);
    }
    this.deleteHelper(img.id, records, options, false);
    return records;
  }

  /** The full reference string when `input` names one of the image's references. */
  private isReference(input: string, id: string): string | null {
    try {
      const name = formatReference(withDefaultTag(parseReference(input)));
      const hit = this.db.prepare('SELECT image_id FROM graph_refs WHERE name = ?').get(name) as { image_id: string } | undefined;
      return hit?.image_id === id ? name : null;
    } catch {
      return null;
    }
  }

  private deleteHelper(id: string, records: DeleteRecord[], options: DeleteOptions, quiet: boolean): void {
    const conflict = this.conflict(id, options);
    if (conflict !== null) {
      if (quiet) return;
      throw new ImageConflictError(conflict);
    }
    const img = this.get(id);
    for (const ref of img.references) {
      this.db.prepare('DELETE FROM graph_refs WHERE name = ?').run(ref);
      records.push({ Untagged: familiarString(parseReference(ref)) });
    }
    this.db.prepare('DELETE FROM graph_images WHERE id = ?').run(id);
    if (img.topLayer !== null) this.layers.release(img.topLayer);
    records.push({ Deleted: id });
    if (options.noprune || img.parent === null || !this.has(img.parent)) return;
    if (this.get(img.parent).references.length === 0) this.deleteHelper(img.parent, records, options, true);
  }

  private conflict(id: string, options: DeleteOptions): string | null {
    if (this.children(id).length > 0) return `conflict: unable to delete ${short(id)} (cannot be forced) - image has dependent child images`;
    const using = options.usedBy?.(id);
    if (using?.running) return `conflict: unable to delete ${short(id)} (cannot be forced) - image is being used by running container ${short(using.container)}`;
    if (using && !options.force) return `conflict: unable to delete ${short(id)} (must be forced) - image is being used by stopped container ${short(using.container)}`;
    return null;
  }
}
