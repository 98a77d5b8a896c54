// End to end, as root: 200 containers created, started, listed and removed on a real `berth
// daemon`, without an error and without a leak: no mount, cgroup, monitor process or daemon fd
// left, and no database row (a restarted daemon finds no container).
import { readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, cgroupDirs, mountsUnder, useTestDaemon, type TestDaemon } from '../test-support/daemon.js';

const COUNT = 200;
let d: TestDaemon;
let docker: Docker;

/** Runs `task` on each item, `width` at a time. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** The berth-monitor processes serving this daemon's containers (their run dir is under its dir). */
function monitors(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return (argv[0] ?? '').endsWith('berth-monitor') && argv.some((a) => a.startsWith(dir));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Non-empty container cgroups left under the daemon's parent. */
function containerCgroups(parent: string): string[] {
  return cgroupDirs(parent).flatMap((p) => readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${p}/${e.name}`));
}

describe.skipIf(!canRunE2E)(`${COUNT} containers`, { timeout: 600_000 }, () => {
  const daemon = useTestDaemon();
  beforeAll(() => {
    d = daemon();
    // No keep-alive: the daemon's fd count then holds no idle client connection.
    // (docker-modem takes `agent`; its typings do not list it.)
    const options = { socketPath: d.sock, agent: new Agent({ keepAlive: false }) };
    docker = new Docker(options);
  });

  it('are created, started, listed and removed without error or leak', async () => {
    // One container first, so what the daemon opens once (database pages, sockets) is in the baseline.
    const warm = await docker.createContainer({ Image: 'busybox', Cmd: ['true'] });
    await warm.start();
    await warm.wait();
    await warm.remove();
    const daemonPid = d.pid as number;
    const fdsBefore = fdCount(daemonPid);

    const names = Array.from({ length: COUNT }, (_, i) => `scale-${i}`);
    const started = Date.now();
    await pool(names, 8, async (name) => {
      const c = await docker.createContainer({ Image: 'busybox', Cmd: ['sleep', '1000'], name, Labels: { scale: '1' } });
      await c.start();
    });
    const startedMs = Date.now() - started;

    const listed = await docker.listContainers({ filters: { label: ['scale=1'] } });
    expect(listed).toHaveLength(COUNT);
    expect(new Set(listed.map((c) => c.State))).toEqual(new Set(['running']));
    expect(monitors(d.dir)).toHaveLength(COUNT);

    const removing = Date.now();
    await pool(names, 8, async (name) => {
      await docker.getContainer(name).remove({ force: true });
    });
    const removedMs = Date.now() - removing;
    console.log(`${COUNT} containers: created and started in ${startedMs} ms, removed in ${removedMs} ms`);

    expect(await docker.listContainers({ all: true })).toEqual([]);
    expect(mountsUnder(d.dir)).toEqual([]);
    expect(containerCgroups(d.cgroupParent)).toEqual([]);
    expect(monitors(d.dir)).toEqual([]);
    // The last connections close as their responses end: give them a moment.
    const deadline = Date.now() + 10_000;
    while (fdCount(daemonPid) > fdsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(fdCount(daemonPid)).toBeLessThanOrEqual(fdsBefore);
    expect(readdirSync(`${d.dir}/root/containers`)).toEqual([]);

    // No row left: a daemon started on the same root finds no container.
    await d.stop();
    await d.restart();
    expect(await docker.listContainers({ all: true })).toEqual([]);
    expect((await docker.info()).Containers).toBe(0);
  });
});
