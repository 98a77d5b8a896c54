// Integration-test support: a busybox rootfs per test (overlay over one extracted fixture), its
// own run dir and cgroup parent, and a cleanup that removes all of it and checks nothing remains.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { cgroupMounts, removeCgroupTree } from '../cgroups/index.js';
import { Container, type CreateOptions } from '../container.js';
import { MNT, mount, unmount } from '../mount.js';
import type { ContainerSpec } from '../spec.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtureScript = join(packageDir, '..', '..', 'tools', 'fixtures', 'busybox.mjs');

/** Extracts the busybox fixture into a new temp dir (call once per test file). */
export function extractFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-lc-fixture-'));
  execFileSync(process.execPath, [fixtureScript, '--extract', join(dir, 'rootfs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

export class TestEnv {
  readonly root = mkdtempSync(join(tmpdir(), 'berth-lc-'));
  readonly cgroupParent = `berth-test-${Math.random().toString(36).slice(2, 10)}`;
  readonly rootfs = join(this.root, 'rootfs');
  private readonly containers: Container[] = [];
  private mounted = false;

  constructor(
    fixture: string,
    /** the hierarchy containers go in; default the host's */
    private readonly cgroupVersion?: 1 | 2,
  ) {
    for (const d of ['upper', 'work', 'rootfs', 'run']) mkdirSync(join(this.root, d));
    mount(this.rootfs, {
      source: 'overlay',
      fstype: 'overlay',
      data: `lowerdir=${join(fixture, 'rootfs')},upperdir=${join(this.root, 'upper')},workdir=${join(this.root, 'work')}`,
    });
    this.mounted = true;
  }

  stateDir(id: string): string {
    return join(this.root, 'run', id);
  }

  options(id: string, spec: Partial<ContainerSpec> & Pick<ContainerSpec, 'args'>): CreateOptions {
    return {
      id,
      stateDir: this.stateDir(id),
      cgroupPath: `${this.cgroupParent}/${id}`,
      ...(this.cgroupVersion ? { cgroupVersion: this.cgroupVersion } : {}),
      spec: { rootfs: this.rootfs, env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...spec },
    };
  }

  async create(id: string, spec: Partial<ContainerSpec> & Pick<ContainerSpec, 'args'>): Promise<Container> {
    const c = await Container.create(this.options(id, spec));
    this.containers.push(c);
    return c;
  }

  /** Tracks a container made elsewhere (e.g. by a child process) for cleanup. */
  adopt(c: Container): Container {
    this.containers.push(c);
    return c;
  }

  /** Runs a command to completion, returning its exit status and output. */
  async run(id: string, spec: Partial<ContainerSpec> & Pick<ContainerSpec, 'args'>) {
    const c = await this.create(id, spec);
    let out = '';
    let err = '';
    const attached = await c.attach({ stdout: { write: (d: Buffer) => (out += d.toString()) } as never, stderr: { write: (d: Buffer) => (err += d.toString()) } as never });
    await c.start();
    const status = await c.wait();
    await attached.done;
    return { status, out, err, container: c };
  }

  /** Destroys every container, unmounts, removes the cgroups and files; returns what was left behind. */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    for (const c of this.containers) {
      await c.destroy().catch((e: Error) => problems.push(`destroy ${c.id}: ${e.message}`));
      try {
        process.kill(c.pid, 0);
        problems.push(`process ${c.pid} of ${c.id} still alive`);
      } catch {
        // gone, as it should be
      }
      if (existsSync(c.stateDir)) problems.push(`${c.stateDir} remains`);
    }
    for (const mountPoint of cgroupMounts()) {
      for (const c of this.containers) {
        if (existsSync(join(mountPoint, this.cgroupParent, c.id))) problems.push(`cgroup ${mountPoint}/${this.cgroupParent}/${c.id} remains`);
      }
    }
    await removeCgroupTree(this.cgroupParent).catch((e: Error) => problems.push(e.message));
    if (this.mounted) unmount(this.rootfs, MNT.DETACH);
    const leftover = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(this.root));
    problems.push(...leftover.map((l) => `mount remains: ${l}`));
    rmSync(this.root, { recursive: true, force: true });
    return problems;
  }
}

/**
 * Registers a test file's hooks: one extracted fixture for the file, a fresh TestEnv per test,
 * checked to leave nothing behind. Returns the current test's env.
 */
export function useTestEnv(cgroupVersion?: 1 | 2): () => TestEnv {
  let fixture = '';
  let env: TestEnv | undefined;
  beforeAll(() => {
    fixture = extractFixture();
  });
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));
  beforeEach(() => {
    env = new TestEnv(fixture, cgroupVersion);
  });
  afterEach(async () => {
    expect(await env?.cleanup()).toEqual([]);
  });
  return () => {
    if (!env) throw new Error('useTestEnv: no test is running');
    return env;
  };
}
