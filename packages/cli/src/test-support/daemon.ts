// One `berth daemon` child process for an end-to-end test file, as root: its own root dir, exec
// root, socket and cgroup parent; `docker`/`berth` run the real clients against it; `close()`
// removes containers, stops the daemon and reports (then removes) any mount or cgroup it left.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { runProgram, type Result, type RunOptions } from '@berth/api-server/test-support';
import { afterAll, beforeAll, expect } from 'vitest';

export const DOCKER = '/usr/local/bin/docker';
export const REPO = join(import.meta.dirname, '../../../..');
export const BERTH = join(REPO, 'packages/cli/bin/berth.js');

/** True where end-to-end tests can run: as root with the docker CLI installed. */
export const canRunE2E = process.getuid?.() === 0 && existsSync(DOCKER);

export { runProgram, type Result, type RunOptions } from '@berth/api-server/test-support';

/** Mount points at or below prefix, deepest first. */
export function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** The directories of cgroup `parent` in every mounted hierarchy (v1 controllers and v2). */
export function cgroupDirs(parent: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => join(l.split(' ')[4] ?? '', parent))
    .filter((p) => existsSync(p));
}

/** The cgroup2 root's cgroup.subtree_control, when cgroup2 is mounted. */
const unifiedRoot = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => / - cgroup2 /.test(l))?.split(' ')[4];
const subtreeControl = unifiedRoot ? join(unifiedRoot, 'cgroup.subtree_control') : undefined;
const enabledAtRoot = (): string[] => (subtreeControl ? readFileSync(subtreeControl, 'utf8').split(/\s+/).filter(Boolean) : []);

/** A raw Engine API answer. */
export interface ApiAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface TestDaemonOptions {
  /** Extra `berth daemon` flags (e.g. `--bridge`, `--bip`). */
  args?: string[];
  /**
   * Run the daemon in a network namespace of its own (`berth-t-<rand>`), where its bridge,
   * veths, iptables rules and ip_forward live and die; without it the daemon has no bridge
   * (`-b none`) so the host's network is never touched.
   */
  netns?: boolean;
  /** Extra environment of the daemon (e.g. `BERTH_SUBUID_FILE` for `--userns-remap`). */
  env?: NodeJS.ProcessEnv;
}

export class TestDaemon {
  /** The test's own directory: root at `root/`, exec root at `run/`, socket at `s.sock`. */
  readonly dir: string;
  readonly sock: string;
  readonly cgroupParent: string;
  readonly host: string;
  /** The daemon's network namespace (`ip netns` name), when it has one. */
  readonly netns: string | undefined;
  private child: ChildProcess | undefined;
  private logText = '';
  /** What the cgroup2 root handed down before: a v2 daemon enables the rest there, as runc does. */
  private readonly rootControllers = enabledAtRoot();

  private constructor(
    private readonly args: string[],
    netns: boolean,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    // Short: the monitor sockets under the exec root must fit a sockaddr_un (108 bytes).
    this.dir = mkdtempSync('/tmp/bd-');
    // searchable (not listable): a remapped root (--userns-remap) reaches its files through it
    chmodSync(this.dir, 0o711);
    this.sock = join(this.dir, 's.sock');
    this.host = `unix://${this.sock}`;
    this.cgroupParent = `berth-e2e-${this.dir.slice(-6)}`;
    this.netns = netns ? `berth-t-${this.dir.slice(-6)}` : undefined;
  }

  /** Starts a daemon and waits until it has completed initialization. */
  static async start(opts: TestDaemonOptions = {}): Promise<TestDaemon> {
    const d = new TestDaemon(opts.args ?? [], opts.netns ?? false, opts.env);
    if (d.netns) {
      execFileSync('ip', ['netns', 'add', d.netns]);
      execFileSync('ip', ['-n', d.netns, 'link', 'set', 'lo', 'up']);
    }
    try {
      await d.restart();
    } catch (e) {
      await d.close().catch(() => {});
      throw e;
    }
    return d;
  }

  /** What the daemon wrote on stderr since it was last started. */
  get log(): string {
    return this.logText;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The environment the docker CLI needs to talk to this daemon (and nothing else). */
  dockerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: this.dir,
      DOCKER_HOST: this.host,
      DOCKER_CONFIG: join(this.dir, 'docker-config'),
      DOCKER_BUILDKIT: '0',
      ...extra,
    };
  }

  docker(...args: string[]): Promise<Result> {
    return runProgram(DOCKER, args, { env: this.dockerEnv() });
  }

  dockerWith(opts: RunOptions, ...args: string[]): Promise<Result> {
    return runProgram(DOCKER, args, { ...opts, env: this.dockerEnv(opts.env) });
  }

  berth(...args: string[]): Promise<Result> {
    return runProgram(process.execPath, [BERTH, '-H', this.host, ...args], { env: this.dockerEnv() });
  }

  berthWith(opts: RunOptions, ...args: string[]): Promise<Result> {
    return runProgram(process.execPath, [BERTH, '-H', this.host, ...args], { ...opts, env: this.dockerEnv(opts.env) });
  }

  /** One raw Engine API request on the socket (`body` as JSON, or as given when a string). */
  api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const headers = payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {};
      const req = request({ socketPath: this.sock, method, path, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Runs a program inside the daemon's network namespace (only its network: files and mounts are the host's). */
  inNetns(file: string, args: string[], opts: RunOptions = {}): Promise<Result> {
    if (!this.netns) throw new Error('this daemon has no network namespace of its own');
    return runProgram('nsenter', [`--net=/run/netns/${this.netns}`, '--', file, ...args], opts);
  }

  /** Imports the deterministic busybox fixture as `name` and returns its image ID. */
  async importBusybox(name = 'busybox'): Promise<string> {
    const tar = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    const r = await this.docker('import', tar, name);
    if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
    return r.stdout.trim();
  }

  /** Loads the busybox fixture image (`busybox:latest`, CMD ["sh"]) with `berth load -i`: one step into the root. */
  async loadBusybox(): Promise<Result> {
    const image = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs'), '--image'], { encoding: 'utf8' }).trim();
    return this.berth('load', '-i', image);
  }

  /** Stops the daemon with SIGTERM (SIGKILL after 10 s), or with `signal` at once. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const d = this.child;
    this.child = undefined;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    const exited = new Promise((r) => d.once('exit', r));
    d.kill(signal);
    const timer = setTimeout(() => d.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Starts the daemon again on the same root (after `stop`). */
  async restart(): Promise<void> {
    this.logText = '';
    const daemon = [BERTH, 'daemon', '-H', this.host, '-g', join(this.dir, 'root'), '--exec-root', join(this.dir, 'run'), '--cgroup-parent', this.cgroupParent];
    // nsenter switches only the network namespace (`ip netns exec` would remount /sys and lose the cgroup mounts)
    const options = { stdio: ['ignore', 'ignore', 'pipe'] as const, env: { ...process.env, ...this.env } };
    const d = this.netns
      ? spawn('nsenter', [`--net=/run/netns/${this.netns}`, '--', process.execPath, ...daemon, ...this.args], options)
      : spawn(process.execPath, [...daemon, '--bridge=none', ...this.args], options);
    this.child = d;
    d.stderr?.on('data', (c: Buffer) => (this.logText += c.toString()));
    const deadline = Date.now() + 20_000;
    while (!this.logText.includes('Daemon has completed initialization')) {
      if (d.exitCode !== null || Date.now() > deadline) throw new Error(`the daemon did not start:\n${this.logText}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Removes every container, stops the daemon, then removes the test's directory. Returns what the
   * daemon left behind (mounts, non-empty cgroups) so the test can assert there was nothing.
   */
  async close(): Promise<{ mounts: string[]; cgroups: string[] }> {
    try {
      if (this.child) {
        const ids = (await this.docker('ps', '-aq')).stdout.split('\n').filter(Boolean);
        if (ids.length > 0) await this.docker('rm', '-fv', ...ids);
      }
    } finally {
      await this.stop();
    }
    try {
      const mounts = mountsUnder(this.dir);
      for (const m of mounts) execFileSync('umount', ['-l', m]);
      const dirs = cgroupDirs(this.cgroupParent);
      const cgroups = dirs.filter((p) => execFileSync('find', [p, '-mindepth', '1', '-type', 'd'], { encoding: 'utf8' }).trim() !== '');
      for (const p of dirs) execFileSync('find', [p, '-depth', '-type', 'd', '-delete']);
      const added = enabledAtRoot().filter((c) => !this.rootControllers.includes(c));
      if (subtreeControl && added.length) writeFileSync(subtreeControl, added.map((c) => `-${c}`).join(' '));
      rmSync(this.dir, { recursive: true, force: true });
      return { mounts, cgroups };
    } finally {
      // the bridge, veths, rules and proxies of the daemon go with its namespace
      if (this.netns) execFileSync('ip', ['netns', 'delete', this.netns]);
    }
  }
}

/**
 * Registers the daemon of a test file (call it inside the file's describe): started with the
 * busybox image imported before the tests, closed after them, asserting nothing was left behind.
 */
export function useTestDaemon(opts: TestDaemonOptions = {}): () => TestDaemon {
  let d: TestDaemon | undefined;
  beforeAll(async () => {
    d = await TestDaemon.start(opts);
    await d.importBusybox();
  }, 60_000);
  afterAll(async () => {
    const left = await d?.close();
    expect(left).toEqual({ mounts: [], cgroups: [] });
  }, 120_000);
  return () => {
    if (!d) throw new Error('useTestDaemon: the daemon is not running');
    return d;
  };
}
