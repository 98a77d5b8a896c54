import type { Readable } from 'node:stream';
import type { ContainerCreateRequest, ImageDeleteResponseItem, ImageHistoryItem, ImageInspect, ImageSummary } from '@berth/api-types';
import { ConflictError, InvalidParameterError, noSuchImage } from '@berth/api-types';
import { familiarString, ImageConflictError, loadImages, NoSuchImageError, parseReference, ReservedNameError, saveImages, validateRepoName } from '@berth/graph-aufs';
import { apiErrorOf } from '../distribution/errors.js';
import type { GraphStore, Image, LoadResult } from '@berth/graph-aufs';
import { toContainerConfig } from '../config/index.js';
import type { EventsBus } from '../events/index.js';
import { applyChanges } from '../images/changes.js';
import { imageHistory } from '../images/history.js';
import { filterImages, type ImageListQuery } from '../images/list.js';
import { saveRequests } from '../images/save.js';

/** Which container uses an image, if any (rmi refuses to untag its last reference). */
export type ImageUser = (imageId: string) => { container: string; running: boolean } | null;

/**
 * The engine's image operations over the graph, with Docker's API shapes, errors and image
 * events: import, list, inspect, remove, tag.
 */
export class EngineImages {
  constructor(
    private readonly graph: GraphStore,
    private readonly events: EventsBus,
    private readonly usedBy: ImageUser,
  ) {}

  /** An image by ID, reference or ID prefix; Docker's 404 when none. */
  resolve(ref: string): Image {
    try {
      return this.graph.images.resolve(ref);
    } catch (e) {
      if (e instanceof NoSuchImageError) throw noSuchImage(ref);
      throw e;
    }
  }

  /**
   * `docker import`: a rootfs tar as image `repo[:tag]` (untagged when repo is empty), its config
   * made by the `changes` instructions; `source` is what the comment names (`-` or the URL). Its ID.
   */
  async import(tar: Readable, o: { repo?: string; tag?: string; message?: string; changes?: string[]; source?: string } = {}): Promise<string> {
    let reference: string | undefined;
    if (o.repo) {
      reference = o.tag ? `${o.repo}:${o.tag}` : o.repo;
      try {
        validateRepoName(parseReference(reference));
      } catch (e) {
        if (e instanceof ReservedNameError) throw apiErrorOf(e);
        throw new InvalidParameterError((e as Error).message);
      }
    }
    const config = applyChanges(EMPTY_CONFIG, o.changes ?? []);
    const img = await this.graph.importImage(tar, {
      ...(reference ? { reference } : {}),
      comment: o.message || `Imported from ${o.source ?? '-'}`,
      createdBy: '',
      config: Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0))),
    });
    this.events.log('image', 'import', img.id, reference ? { name: familiarString(parseReference(reference)) } : {});
    return img.id;
  }

  /** `GET /images/json` with Docker's `all` and filters (dangling, label, before, since, reference). */
  list(q: ImageListQuery = {}): ImageSummary[] {
    return filterImages(this.graph.images.list(), q, (ref) => this.resolve(ref).config.created ?? '').map((s) => ({
      Id: s.id,
      ParentId: s.parent ?? '',
      RepoTags: s.repoTags,
      RepoDigests: s.repoDigests,
      Created: Math.floor(Date.parse(s.created) / 1000) || 0,
      Size: s.virtualSize,
      SharedSize: -1,
      Labels: ((s.config.config ?? {}) as { Labels?: Record<string, string> | null }).Labels ?? {},
      Containers: -1,
    }));
  }

  /** How many images there are (`docker info`). */
  count(): number {
    return this.graph.images.list().length;
  }

  /** `GET /images/{name}/json`. */
  inspect(name: string): ImageInspect {
    const img = this.resolve(name);
    const s = this.graph.images.summary(img);
    const cfg = img.config;
    return {
      Id: img.id,
      RepoTags: s.repoTags,
      RepoDigests: s.repoDigests,
      Parent: img.parent ?? '',
      Comment: cfg.comment ?? '',
      Created: cfg.created ?? '',
      DockerVersion: cfg.docker_version ?? '',
      Author: cfg.author ?? '',
      // An imported image has an empty config: Docker shows every field with its default.
      Config: toContainerConfig((cfg.config ?? {}) as ContainerCreateRequest),
      Architecture: cfg.architecture,
      Os: cfg.os,
      Size: s.virtualSize,
      GraphDriver: { Name: this.graph.driver.name, Data: {} },
      RootFS: { Type: 'layers', Layers: [...cfg.rootfs.diff_ids] },
      Metadata: {},
    };
  }

  /** `DELETE /images/{name}` with Docker's untag/delete rules; an image in use keeps its last tag. */
  remove(name: string, o: { force?: boolean; noprune?: boolean } = {}): ImageDeleteResponseItem[] {
    const img = this.resolve(name);
    let records: ImageDeleteResponseItem[];
    try {
      records = this.graph.images.delete(name, { force: o.force ?? false, noprune: o.noprune ?? false, usedBy: this.usedBy });
    } catch (e) {
      if (e instanceof NoSuchImageError) throw noSuchImage(name);
      if (e instanceof ImageConflictError) throw new ConflictError(e.message);
      throw e;
    }
    for (const r of records) {
      if ('Untagged' in r) this.events.log('image', 'untag', img.id, { name: r.Untagged });
      else this.events.log('image', 'delete', r.Deleted, {});
    }
    return records;
  }

  /** `POST /images/{name}/tag`: moves `repo[:tag]` to the image; an existing tag conflicts unless `force`. */
  tag(name: string, repo: string, tag = '', force = true): void {
    const img = this.resolve(name);
    const reference = tag ? `${repo}:${tag}` : repo;
    try {
      this.graph.images.tag(img.id, reference, force);
    } catch (e) {
      if (e instanceof ImageConflictError) throw new ConflictError(e.message);
      if (e instanceof ReservedNameError) throw apiErrorOf(e);
      throw new InvalidParameterError((e as Error).message);
    }
    this.events.log('image', 'tag', img.id, { name: familiarString(parseReference(reference)) });
  }

  /** `GET /images/{name}/history`. */
  history(name: string): ImageHistoryItem[] {
    return imageHistory(this.graph, this.resolve(name));
  }

  /** `GET /images/get`: the named images (every tag of a bare repository name) as one tar. */
  save(names: readonly string[]): Readable {
    const requests = saveRequests(this.graph, names, (n) => this.resolve(n));
    for (const r of requests) this.events.log('image', 'save', r.image.id, r.references[0] ? { name: familiarString(parseReference(r.references[0])) } : {});
    return saveImages(this.graph.layers, requests);
  }

  /** `POST /images/load`: the images of a save archive (Docker's, 1.7's legacy or OCI), with its tags. */
  async load(archive: Readable): Promise<LoadResult> {
    let result: LoadResult;
    try {
      result = await loadImages(this.graph, archive);
    } catch (e) {
      throw new InvalidParameterError((e as Error).message);
    }
    for (const img of result.images) this.events.log('image', 'load', img.id, {});
    return result;
  }
}

/** An imported image's config before its `--change`s: nothing set. */
const EMPTY_CONFIG = { Cmd: null, Entrypoint: null, Env: null, ExposedPorts: {}, Labels: {}, OnBuild: null, User: '', Volumes: null, WorkingDir: '' };
