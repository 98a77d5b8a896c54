import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '@berth/engine-core';
import { engineRoutes } from '../routes/index.js';
import { createApiServer, type ApiServer } from '../server.js';

const mountPoints = (): string[] => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '');

/** The directories named `parent` in every mounted cgroup hierarchy. */
function cgroupParents(parent: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => join(l.split(' ')[4] ?? '', parent))
    .filter((p) => existsSync(p));
}

/** A real engine behind the API server on its own root, socket and cgroup parent (root only). */
export class EngineServer {
  private constructor(
    readonly dir: string,
    readonly sock: string,
    readonly engine: Engine,
    readonly server: ApiServer,
    private readonly cgroupParent: string,
  ) {}

  static async start(): Promise<EngineServer> {
    const dir = mkdtempSync('/tmp/bes-');
    const cgroupParent = `berth-es-${dir.slice(-6)}`;
    const engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent });
    const server = createApiServer({ routes: engineRoutes(engine), version: { platformName: 'berth', version: '0.1.0', gitCommit: '', buildTime: '' } });
    const sock = join(dir, 's.sock');
    await server.listen({ kind: 'unix', path: sock });
    return new EngineServer(dir, sock, engine, server, cgroupParent);
  }

  /** The busybox fixture's rootfs tar. */
  static fixture(): Buffer {
    const repo = join(import.meta.dirname, '../../../..');
    return readFileSync(execFileSync(process.execPath, [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim());
  }

  /** Removes every container, stops and cleans up; returns the mounts and cgroups that were left. */
  async close(): Promise<{ mounts: string[]; cgroups: string[] }> {
    try {
      for (const c of this.engine.list({ all: true })) await this.engine.remove(c.Id, { force: true }).catch(() => {});
      await this.server.close();
      this.engine.close();
    } finally {
      // The cgroup parent itself goes with the engine; anything below it is a leak.
      const cgroups = cgroupParents(this.cgroupParent).filter((p) => execFileSync('find', [p, '-mindepth', '1', '-type', 'd'], { encoding: 'utf8' }).trim() !== '');
      for (const p of cgroupParents(this.cgroupParent)) execFileSync('find', [p, '-depth', '-type', 'd', '-delete']);
      const mounts = mountPoints().filter((p) => p.startsWith(this.dir));
      for (const m of [...mounts].reverse()) execFileSync('umount', ['-l', m]);
      rmSync(this.dir, { recursive: true, force: true });
      return { mounts, cgroups };
    }
  }
}
