// End to end, as root: `berth daemon` as a child process, driven by the real docker CLI (v28)
// over its unix socket: import, run (attached, detached, --rm), ps, logs, stop, inspect, rm,
// images. Each test run has its own root, exec root, socket and cgroup parent, and checks that
// no mount or cgroup of it remains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, TestDaemon } from '../test-support/daemon.js';

let d: TestDaemon;
const docker = (...args: string[]) => d.docker(...args);

describe.skipIf(!canRunE2E)('berth daemon driven by the docker CLI', () => {
  beforeAll(async () => {
    d = await TestDaemon.start();
  }, 30_000);

  afterAll(async () => {
    const left = await d?.close();
    expect(left).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('imports an image, runs containers and lists what it made', async () => {
    expect(await d.importBusybox()).toMatch(/^sha256:[0-9a-f]{64}$/);

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
    await d.stop();
    expect(d.log).toContain('Received SIGTERM, shutting down');
    expect(() => process.kill(Number(pid), 0)).not.toThrow();
    await d.restart();
    expect((await docker('ps', '--format', '{{.Names}} {{.State}}')).stdout).toBe('survivor running\n');
    expect((await docker('logs', 'survivor')).stdout).toBe('one\n');
    expect((await docker('stop', '-t', '1', 'survivor')).code).toBe(0);
    expect((await docker('inspect', '-f', '{{.State.ExitCode}}', 'survivor')).stdout).toBe('137\n');
  }, 60_000);
});
