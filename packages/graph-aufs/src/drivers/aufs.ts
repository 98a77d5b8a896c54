import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { mount, MS } from '@berth/libcontainer';
import type { IdMapping } from '../idmap.js';
import type { Driver } from './driver.js';
import { LayeredDriver } from './layered.js';
import { backingFs, kernelFilesystems, MountCounter, mountOverlay, unmountQuiet } from './mounts.js';
import { Trash } from './trash.js';

const PAGE = 4096;

/**
 * aufs, in Docker 1.7's layout: `diff/<id>` (the layer's files), `layers/<id>` (its ancestors,
 * nearest first, one per line), `mnt/<id>` (the union mount). Mounts with aufs where the kernel
 * has it; otherwise with overlayfs (work dirs then live in `work/<id>`), storing deletions the
 * way the mounting filesystem writes them.
 */
export class AufsDriver extends LayeredDriver implements Driver {
  readonly name = 'aufs';
  readonly whiteouts: 'aufs' | 'overlay';
  private readonly mounts = new MountCounter();
  private readonly trash: Trash;

  constructor(
    readonly home: string,
    idMap?: IdMapping,
    readonly native = kernelFilesystems().includes('aufs'),
  ) {
    super(idMap);
    this.whiteouts = native ? 'aufs' : 'overlay';
    for (const d of ['diff', 'layers', 'mnt']) mkdirSync(posix.join(home, d), { recursive: true, mode: 0o755 });
    this.trash = new Trash(posix.join(home, 'trash'));
  }

  diffDir(id: string): string {
    return posix.join(this.home, 'diff', id);
  }

  /** The ancestor IDs from `layers/<id>`, nearest first. */
  parents(id: string): string[] {
    const file = posix.join(this.home, 'layers', id);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  }

  lowerDirs(id: string): string[] {
    return this.parents(id).map((p) => this.diffDir(p));
  }

  create(id: string, parent: string | null): void {
    mkdirSync(this.diffDir(id), { mode: 0o755 });
    this.ownDiffDir(id);
    mkdirSync(posix.join(this.home, 'mnt', id), { mode: 0o755 });
    const chain = parent === null ? [] : [parent, ...this.parents(parent)];
    writeFileSync(posix.join(this.home, 'layers', id), chain.map((p) => `${p}\n`).join(''));
  }

  remove(id: string): void {
    unmountQuiet(posix.join(this.home, 'mnt', id));
    this.mounts.forget(id);
    for (const d of ['diff', 'mnt', 'work']) this.trash.discard(posix.join(this.home, d, id));
    rmSync(posix.join(this.home, 'layers', id), { force: true });
  }

  exists(id: string): boolean {
    return existsSync(this.diffDir(id));
  }

  ids(): string[] {
    return readdirSync(posix.join(this.home, 'diff'));
  }

  get(id: string): string {
    const parents = this.parents(id);
    if (parents.length === 0) return this.diffDir(id);
    const target = posix.join(this.home, 'mnt', id);
    this.mounts.acquire(id, () => (this.native ? this.mountAufs(target, id, parents) : this.mountOverlay(target, id, parents)));
    return target;
  }

  /** Docker 1.7's aufsMount: rw branch then parents; branches past one page are appended by remount. */
  private mountAufs(target: string, id: string, parents: string[]): void {
    const tail = ',dio,xino=/dev/shm/aufs.xino';
    let data = `br:${this.diffDir(id)}=rw`;
    let i = 0;
    for (; i < parents.length; i++) {
      const branch = `:${this.diffDir(parents[i] as string)}=ro+wh`;
      if (data.length + branch.length + tail.length >= PAGE) break;
      data += branch;
    }
    mount(target, { source: 'none', fstype: 'aufs', data: data + tail });
    for (; i < parents.length; i++) {
      mount(target, { source: 'none', fstype: 'aufs', flags: MS.REMOUNT, data: `append:${this.diffDir(parents[i] as string)}=ro+wh` });
    }
  }

  private mountOverlay(target: string, id: string, parents: string[]): void {
    const work = posix.join(this.home, 'work', id);
    mkdirSync(work, { recursive: true, mode: 0o700 });
    mountOverlay(target, posix.join(this.home, 'diff'), parents, this.diffDir(id), work);
  }

  put(id: string): void {
    this.mounts.release(id, () => unmountQuiet(posix.join(this.home, 'mnt', id)));
  }

  status(): Array<[string, string]> {
    return [
      ['Root Dir', this.home],
      ['Backing Filesystem', backingFs(this.home)],
      ['Dirs', String(this.ids().length)],
      ['Dirperm1 Supported', 'false'],
    ];
  }

  cleanup(): void {
    for (const id of this.mounts.active()) {
      unmountQuiet(posix.join(this.home, 'mnt', id));
      this.mounts.forget(id);
    }
  }
}
