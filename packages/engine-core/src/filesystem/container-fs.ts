import { lstatSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { ContainerInspect, FilesystemChange } from '@berth/api-types';
import { InvalidParameterError, NotFoundError } from '@berth/api-types';
import { applyTar, BreakoutError, CHANGE_KIND_CODE, OverwriteError, pathTar, secureJoin, type GraphStore } from '@berth/graph-aufs';
import { containerEventAttributes, type EventsBus } from '../events/index.js';
import { goFileMode, type PathStat } from './pathstat.js';

/** What the container filesystem operations need of the engine. */
export interface FilesystemHost {
  readonly graph: GraphStore;
  readonly events: EventsBus;
  inspect(ref: string): ContainerInspect;
}

/** A path in the container resolved on the host: where it is and how Docker names it. */
interface Resolved {
  /** The host path, inside the mounted rootfs. */
  host: string;
  /** The absolute container path as asked (trailing `/` or `/.` kept). */
  abs: string;
  stat: Stats;
}

/**
 * `docker diff`, `export` and `cp` on a container's root filesystem, running or stopped (a
 * stopped container's rootfs is mounted for the call). Container paths resolve inside the rootfs
 * as if it were `/`: a symlink to `/` (or `..` chains) leads back into the rootfs, never to the host.
 */
export class ContainerFilesystem {
  constructor(private readonly host: FilesystemHost) {}

  private container(ref: string): ContainerInspect {
    return this.host.inspect(ref);
  }

  private event(c: ContainerInspect, action: 'copy' | 'export'): void {
    this.host.events.log('container', action, c.Id, containerEventAttributes({ name: c.Name, image: c.Config.Image, labels: c.Config.Labels ?? {} }));
  }

  /** `GET /containers/{id}/changes`. */
  changes(ref: string): FilesystemChange[] {
    const c = this.container(ref);
    return this.host.graph.layers.changesRW(c.Id).map((ch) => ({ Path: ch.path, Kind: CHANGE_KIND_CODE[ch.kind] }));
  }

  /** `GET /containers/{id}/export`: the flattened filesystem as a tar. */
  export(ref: string): Readable {
    const c = this.container(ref);
    const tar = this.host.graph.exportRW(c.Id);
    this.event(c, 'export');
    return tar;
  }

  /** Runs `fn` with the rootfs mounted; a stream it returns keeps the mount until it ends. */
  private async mounted<T>(id: string, fn: (rootfs: string) => T | Promise<T>): Promise<T> {
    const rootfs = this.host.graph.layers.mountRW(id);
    let keep = false;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.host.graph.layers.unmountRW(id);
    };
    try {
      const result = await fn(rootfs);
      if (isStream(result)) {
        keep = true;
        result.once('end', release).once('close', release).once('error', release);
      }
      return result;
    } finally {
      if (!keep) release();
    }
  }

  private resolve(rootfs: string, c: ContainerInspect, path: string): Resolved {
    const abs = absolutePath(path);
    const followLast = abs.endsWith('/') || abs.endsWith('/.');
    const host = secureJoin(rootfs, abs, followLast);
    try {
      return { host, abs, stat: lstatSync(host) };
    } catch {
      throw new NotFoundError(`Could not find the file ${path} in container ${c.Name.replace(/^\//, '')}`);
    }
  }

  private pathStat(rootfs: string, r: Resolved): PathStat {
    let linkTarget = '';
    if (r.stat.isSymbolicLink()) linkTarget = `/${posix.relative(rootfs, secureJoin(rootfs, r.abs, true))}`;
    return { name: baseName(r.abs), size: r.stat.size, mode: goFileMode(r.stat), mtime: r.stat.mtime.toISOString(), linkTarget };
  }

  /** `HEAD /containers/{id}/archive?path=`. */
  async stat(ref: string, path: string): Promise<PathStat> {
    const c = this.container(ref);
    return this.mounted(c.Id, (rootfs) => this.pathStat(rootfs, this.resolve(rootfs, c, path)));
  }

  /** `GET /containers/{id}/archive?path=`: the path as a tar whose entries start with its base name. */
  async archive(ref: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    const c = this.container(ref);
    let stat: PathStat | undefined;
    const tar = await this.mounted(c.Id, (rootfs) => {
      const r = this.resolve(rootfs, c, path);
      stat = this.pathStat(rootfs, r);
      const name = stat.name === '/' ? '.' : stat.name;
      return pathTar(r.host, name, this.host.graph.idMap);
    });
    return { stat: stat as PathStat, tar };
  }

  /** `POST /containers/{id}/copy` (API < 1.20): the resource as a tar, an absolute path. */
  async copy(ref: string, resource: string): Promise<Readable> {
    if (!resource) throw new InvalidParameterError('Path cannot be empty');
    const c = this.container(ref);
    const { tar } = await this.archive(c.Id, resource.replace(/^\/*/, '/'));
    this.event(c, 'copy');
    return tar;
  }

  /**
   * `PUT /containers/{id}/archive?path=`: unpacks a tar into a directory of the container. The
   * directory resolves inside the rootfs, and so does every entry of the tar.
   */
  async extract(ref: string, path: string, tar: Readable, options: { noOverwriteDirNonDir?: boolean } = {}): Promise<void> {
    const c = this.container(ref);
    if (c.HostConfig.ReadonlyRootfs) throw new InvalidParameterError('container rootfs is marked read-only');
    await this.mounted(c.Id, async (rootfs) => {
      const abs = absolutePath(path);
      const dir = secureJoin(rootfs, abs, true);
      let stat: Stats;
      try {
        stat = lstatSync(dir);
      } catch {
        throw new NotFoundError(`Could not find the file ${path} in container ${c.Name.replace(/^\//, '')}`);
      }
      if (!stat.isDirectory()) throw new InvalidParameterError('extraction point is not a directory');
      // The unpacker destroys its input on failure: keep the request itself alive for the
      // error response and let the rest of the upload drain.
      const input = new PassThrough();
      tar.pipe(input);
      try {
        await applyTar(input, dir, 'aufs', { ...options, ...(this.host.graph.idMap ? { idMap: this.host.graph.idMap } : {}) });
      } catch (e) {
        tar.unpipe(input);
        tar.resume();
        if (e instanceof BreakoutError || e instanceof OverwriteError) throw new InvalidParameterError(e.message);
        throw e;
      }
    });
  }
}

/** The container path as absolute, keeping a trailing `/` or `/.` (Docker's PreserveTrailingDotOrSeparator). */
function absolutePath(path: string): string {
  const clean = posix.normalize(`/${path}`);
  if (path.endsWith('/.') || path === '.') return clean === '/' ? '/.' : `${clean.replace(/\/$/, '')}/.`;
  if (path.endsWith('/') && clean !== '/') return `${clean.replace(/\/$/, '')}/`;
  return clean;
}

/** Go's filepath.Base. */
function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return posix.basename(trimmed);
}

function isStream(v: unknown): v is Readable {
  return typeof v === 'object' && v !== null && typeof (v as Readable).pipe === 'function' && typeof (v as Readable).once === 'function';
}
