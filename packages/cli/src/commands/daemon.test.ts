// End to end, as root: `berth daemon` as a child process, driven by the real docker CLI (v28)
// over its unix socket: import, run (attached, detached, --rm), ps, logs, stop, inspect, rm,
// images. Each test run has its own root, exec root, socket and cgroup parent, and checks that
// no mount or cgroup of it remains.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DOCKER = '/usr/local/bin/docker';
const repo = join(import.meta.dirname, '../../../..');
const BERTH = join(repo, 'packages/cli/bin/berth.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let cgroupParent: string;
let daemon: ChildProcess | undefined;
let daemonLog = '';

function docker(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      DOCKER,
      args,
      { env: { ...process.env, DOCKER_HOST: `unix://${dir}/s.sock`, DOCKER_CONFIG: join(dir, 'docker-config') }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(prefix));
}

/** The cgroup dirs of the test's parent in every hierarchy (v1 controllers and the v2 mount). */
function cgroupDirs(): string[] {
  const roots = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => l.split(' ')[4] ?? '');
  return roots.map((r) => join(r, cgroupParent)).filter((p) => existsSync(p));
}

async function stopDaemon(): Promise<void> {
  const d = daemon;
  daemon = undefined;
  if (!d || d.exitCode !== null) return;
  const exited = new Promise((r) => d.once('exit', r));
  d.kill('SIGTERM');
  const timer = setTimeout(() => d.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startDaemon(): Promise<void> {
  daemonLog = '';
  const d = spawn(
    process.execPath,
    [BERTH, 'daemon', '-H', `unix://${dir}/s.sock`, '-g', `${dir}/root`, '--exec-root', `${dir}/run`, '--cgroup-parent', cgroupParent],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  daemon = d;
  d.stderr?.on('data', (c: Buffer) => (daemonLog += c.toString()));
  const deadline = Date.now() + 15_000;
  while (!daemonLog.includes('Daemon has completed initialization')) {
    if (d.exitCode !== null || Date.now() > deadline) throw new Error(`the daemon did not start:\n${daemonLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!existsSync(DOCKER) || process.getuid?.() !== 0)('berth daemon driven by the docker CLI', () => {
  beforeAll(async () => {
    // Short: the monitor sockets under the exec root must fit a sockaddr_un.
    dir = mkdtempSync('/tmp/bd-');
    cgroupParent = `berth-e2e-${process.pid}`;
    await startDaemon();
  }, 20_000);

  afterAll(async () => {
    try {
      if (daemon) {
        const ids = (await docker('ps', '-aq')).stdout.split('\n').filter(Boolean);
        if (ids.length > 0) await docker('rm', '-f', ...ids);
      }
    } finally {
      await stopDaemon();
      const mounts = mountsUnder(dir);
      for (const m of [...mounts].reverse()) execFileSync('umount', ['-l', m]);
      const cgroups = cgroupDirs().filter((p) => execFileSync('find', [p, '-mindepth', '1', '-type', 'd'], { encoding: 'utf8' }).trim() !== '');
      for (const p of cgroupDirs()) execFileSync('find', [p, '-depth', '-type', 'd', '-delete']);
      rmSync(dir, { recursive: true, force: true });
      expect(mounts).toEqual([]);
      expect(cgroups).toEqual([]);
    }
  }, 60_000);

  it('imports an image, runs containers and lists what it made', async () => {
    const tar = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    const imported = await docker('import', tar, 'busybox');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);

    const hello = await docker('run', '--rm', 'busybox', 'echo', 'hello');
    expect(hello).toMatchObject({ code: 0, stdout: 'hello\n' });
    // --rm: the container is gone.
    expect((await docker('ps', '-aq')).stdout).toBe('');

    const started = await docker('run', '-d', '--name', 'bx', 'busybox', 'sh', '-c', 'echo a; sleep 30');
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    const ps = await docker('ps');
    const lines = ps.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo a; slee…"\\s+.*\\s+Up .*\\s+bx$`));

    // The log line is written as soon as the shell runs; give it a moment.
    let logs = await docker('logs', 'bx');
    for (let i = 0; i < 20 && logs.stdout === ''; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logs = await docker('logs', 'bx');
    }
    expect(logs).toMatchObject({ code: 0, stdout: 'a\n' });

    const t0 = Date.now();
    expect(await docker('stop', '-t', '1', 'bx')).toMatchObject({ code: 0, stdout: 'bx\n' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    // sh as PID 1 has no TERM handler, so the kernel drops SIGTERM: the SIGKILL after 1s ends it.
    expect((await docker('inspect', '-f', '{{.State.ExitCode}} {{.State.Status}}', 'bx')).stdout).toBe('137 exited\n');
    expect(await docker('rm', 'bx')).toMatchObject({ code: 0, stdout: 'bx\n' });
    expect((await docker('inspect', 'bx')).code).not.toBe(0);

    const three = await docker('run', 'busybox', 'sh', '-c', 'exit 3');
    expect(three.code).toBe(3);

    const missing = await docker('run', 'busybox', '/no/such/command');
    expect(missing.code).toBe(127);

    const images = await docker('images');
    expect(images.stdout).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/);
    expect(images.stdout).toMatch(/\nbusybox\s+latest\s+[0-9a-f]{12}\s/);

    const info = await docker('info', '--format', '{{.Containers}} {{.Images}} {{.Driver}} {{.CgroupVersion}}');
    expect(info.stdout.trim()).toMatch(/^2 1 (overlay2|vfs|aufs) [12]$/);
  }, 60_000);

  it('leaves containers running across a daemon restart and takes them back', async () => {
    const started = await docker('run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'echo one; sleep 30');
    expect(started.code, started.stderr).toBe(0);
    const pid = (await docker('inspect', '-f', '{{.State.Pid}}', 'survivor')).stdout.trim();
    await stopDaemon();
    expect(daemonLog).toContain('Received SIGTERM, shutting down');
    expect(() => process.kill(Number(pid), 0)).not.toThrow();
    await startDaemon();
    expect((await docker('ps', '--format', '{{.Names}} {{.State}}')).stdout).toBe('survivor running\n');
    expect((await docker('logs', 'survivor')).stdout).toBe('one\n');
    expect((await docker('stop', '-t', '1', 'survivor')).code).toBe(0);
    expect((await docker('inspect', '-f', '{{.State.ExitCode}}', 'survivor')).stdout).toBe('137\n');
  }, 60_000);
});
