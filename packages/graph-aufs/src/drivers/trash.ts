import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { posix } from 'node:path';

/**
 * Where a driver's removed layer directories go. A directory is renamed in at once, so the layer
 * is gone and a crash cannot leave half of it, then deleted in the background, off the event
 * loop: a layer of 10,000 files takes seconds to delete on a slow disk, which a `docker rm`, an
 * `rmi` or a commit that found its layer already stored need not wait for. What a stopped daemon
 * left here is deleted when the driver next opens.
 */
export class Trash {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)) this.delete(posix.join(dir, name));
  }

  /** Moves `path` into the trash, if it exists, and deletes it in the background. */
  discard(path: string): void {
    const target = posix.join(this.dir, `${posix.basename(path)}-${randomBytes(6).toString('hex')}`);
    try {
      renameSync(path, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    this.delete(target);
  }

  /** Resolves when every deletion started so far has ended. */
  async drained(): Promise<void> {
    await Promise.all(this.pending);
  }

  private delete(path: string): void {
    // A deletion that fails is left for the next open to retry.
    const p: Promise<void> = rm(path, { recursive: true, force: true })
      .catch(() => undefined)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}
