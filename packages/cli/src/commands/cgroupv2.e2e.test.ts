// `berth daemon --cgroup-version 2` with the real docker CLI: containers in the cgroup2
// hierarchy (a hybrid host's /sys/fs/cgroup/unified, whose controllers are only those v1 does not
// hold). Placement, pause, kill, stats and removal are checked in the cgroup files; the limits
// whose controllers are missing get Docker's warnings (the limit discarded) or errors.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, runProgram, BERTH, TestDaemon, useTestDaemon, type Result } from '../test-support/daemon.js';

const UNIFIED = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => / - cgroup2 /.test(l))?.split(' ')[4];
const read = (file: string): string => readFileSync(file, 'utf8').trim();
const controllers = UNIFIED ? read(join(UNIFIED, 'cgroup.controllers')).split(' ').filter(Boolean) : [];

describe.skipIf(!canRunE2E || !UNIFIED)('berth daemon --cgroup-version 2', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  let rootSubtree = '';
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const dirOf = (id: string): string => join(UNIFIED as string, d.cgroupParent, id);
  const events = (id: string): Record<string, string> => Object.fromEntries(read(join(dirOf(id), 'cgroup.events')).split('\n').map((l) => l.split(' ')));
  const inspect = async (name: string, format: string): Promise<string> => (await docker('inspect', '--format', format, name)).stdout.trim();

  beforeAll(async () => {
    rootSubtree = read(join(UNIFIED as string, 'cgroup.subtree_control'));
    d = await TestDaemon.start({ args: ['--cgroup-version', '2'] });
    await d.importBusybox();
  }, 60_000);

  afterAll(async () => {
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
    // close() put back the controllers the driver enabled at the root
    expect(read(join(UNIFIED as string, 'cgroup.subtree_control'))).toBe(rootSubtree);
  }, 120_000);

  it('refuses a --cgroup-version other than 1 or 2, a --default-cgroupns-mode other than host or private', async () => {
    const r = await runProgram(process.execPath, [BERTH, 'daemon', '--cgroup-version', '3']);
    expect(r).toMatchObject({ code: 125, stderr: `invalid value "3" for flag --cgroup-version: must be 1 or 2\nSee 'berth daemon --help'.\n` });
    const ns = await runProgram(process.execPath, [BERTH, 'daemon', '--default-cgroupns-mode', 'shared']);
    expect(ns).toMatchObject({ code: 125, stderr: `invalid value "shared" for flag --default-cgroupns-mode: must be host or private\nSee 'berth daemon --help'.\n` });
  });

  it('reports cgroup version 2 and what the hierarchy lacks in docker info', async () => {
    const r = await docker('info', '--format', '{{.CgroupVersion}} {{.CgroupDriver}} {{.MemoryLimit}} {{.PidsLimit}}');
    expect(r.stdout.trim()).toBe(`2 cgroupfs ${controllers.includes('memory')} ${controllers.includes('pids')}`);
    if (!controllers.includes('memory')) expect((await docker('info')).stderr).toContain('WARNING: No memory limit support');
  });

  it('places a container in the v2 cgroup, pauses it through cgroup.freeze and removes the cgroup at its exit', async () => {
    const run = await docker('run', '-d', '--name', 'v2-place', 'busybox', 'sh', '-c', 'sleep 300 & cat /proc/self/cgroup; wait');
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    const pid = await inspect('v2-place', '{{.State.Pid}}');
    const procs = read(join(dirOf(id), 'cgroup.procs')).split('\n');
    expect(procs).toContain(pid);
    expect(events(id).populated).toBe('1');
    // the host sees the process in the v2 cgroup, in none of the v1 ones
    const hostView = read(`/proc/${pid}/cgroup`).split('\n');
    expect(hostView).toContain(`0::/${d.cgroupParent}/${id}`);
    expect(hostView.filter((l) => !l.startsWith('0::') && l.includes(d.cgroupParent))).toEqual([]);

    expect((await docker('pause', 'v2-place')).code).toBe(0);
    expect(read(join(dirOf(id), 'cgroup.freeze'))).toBe('1');
    expect(events(id).frozen).toBe('1');
    expect(await inspect('v2-place', '{{.State.Status}} {{.State.Paused}}')).toBe('paused true');
    expect((await docker('unpause', 'v2-place')).code).toBe(0);
    expect(events(id).frozen).toBe('0');
    expect(await inspect('v2-place', '{{.State.Status}} {{.State.Paused}}')).toBe('running false');

    // Docker's default on v2: a cgroup namespace rooted at the container's cgroup, which exec joins
    expect(await inspect('v2-place', '{{.HostConfig.CgroupnsMode}}')).toBe('private');
    expect((await docker('logs', 'v2-place')).stdout).toMatch(/^0::\/$/m);
    expect(await docker('exec', 'v2-place', 'cat', '/proc/self/cgroup')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^0::\/$/m) });

    expect((await docker('kill', 'v2-place')).code).toBe(0);
    expect((await docker('wait', 'v2-place')).stdout.trim()).toBe('137');
    // the cgroup goes with the exit, as with runc
    expect(existsSync(dirOf(id))).toBe(false);
    expect((await docker('rm', 'v2-place')).code).toBe(0);
  });

  it('stops a paused container: every process goes, the cgroup is empty and removed', async () => {
    const run = await docker('run', '-d', '--name', 'v2-stop', 'busybox', 'sh', '-c', 'sleep 300 & sleep 300 & wait');
    const id = run.stdout.trim();
    expect((await docker('pause', 'v2-stop')).code).toBe(0);
    const r = await docker('rm', '-f', 'v2-stop');
    expect(r.code).toBe(0);
    expect(existsSync(dirOf(id))).toBe(false);
  });

  it('reports the cpu time of cpu.stat in stats', async () => {
    const run = await docker('run', '-d', '--name', 'v2-stats', 'busybox', 'sh', '-c', 'i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; sleep 300');
    const id = run.stdout.trim();
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await d.api('GET', '/containers/v2-stats/stats?stream=false');
    expect(stats.status).toBe(200);
    const s = JSON.parse(stats.text) as { cpu_stats: { cpu_usage: { total_usage: number } }; pids_stats: { current?: number } };
    const usec = Number(/usage_usec (\d+)/.exec(read(join(dirOf(id), 'cpu.stat')))?.[1]);
    expect(s.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(10_000_000);
    expect(s.cpu_stats.cpu_usage.total_usage).toBeLessThanOrEqual(usec * 1000);
    const table = await docker('stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}} {{.PIDs}}', 'v2-stats');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^v2-stats \d+\.\d\d% \d+\n$/);
    await docker('rm', '-f', 'v2-stats');
  });

  it.skipIf(!existsSync('/dev/loop0'))('keeps devices to the default rules and --device, with its permissions, through the BPF filter', async () => {
    const denied = await docker('run', '--rm', 'busybox', 'sh', '-c', 'mknod /tmp/l b 7 0 && : < /tmp/l');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain("sh: can't open /tmp/l: Operation not permitted");
    const mapped = await docker('run', '--rm', '--device', '/dev/loop0:/dev/xloop:r', 'busybox', 'sh', '-c', ': < /dev/xloop && echo read; : > /dev/xloop');
    expect(mapped.stdout).toBe('read\n');
    expect(mapped.stderr).toContain("can't create /dev/xloop: Operation not permitted");
  });

  it('lists the processes of the cgroup in top, and updates with the same warnings as create', async () => {
    const run = await docker('run', '-d', '--name', 'v2-top', 'busybox', 'sh', '-c', 'sleep 301 & sleep 302');
    expect(run.code).toBe(0);
    const top = await docker('top', 'v2-top');
    expect(top.stdout).toContain('sleep 301');
    expect(top.stdout).toContain('sleep 302');
    if (!controllers.includes('pids')) {
      // the docker CLI prints update's warnings on stdout, after the names
      expect(await docker('update', '--pids-limit', '10', 'v2-top')).toEqual({
        code: 0,
        stdout: 'v2-top\nYour kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.\n',
        stderr: '',
      });
    }
    await docker('rm', '-f', 'v2-top');
  });

  // Docker's verifyPlatformContainerResources: a limit the hierarchy cannot enforce is discarded with a warning
  const discarded: [string, string[], string, string][] = [
    ['memory', ['-m', '32m'], 'Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.', '{{.HostConfig.Memory}}'],
    ['memory', ['--memory-reservation', '32m'], 'Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.', '{{.HostConfig.MemoryReservation}}'],
    ['memory', ['--memory-swappiness', '10'], 'Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.', '{{.HostConfig.MemorySwappiness}}'],
    ['memory', ['--oom-kill-disable'], 'Your kernel does not support OomKillDisable. OomKillDisable discarded.', '{{.HostConfig.OomKillDisable}}'],
    ['pids', ['--pids-limit', '10'], 'Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.', '{{.HostConfig.PidsLimit}}'],
    ['cpu', ['-c', '512'], 'Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.', '{{.HostConfig.CpuShares}}'],
    ['cpu', ['--cpu-quota', '50000'], 'Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.', '{{.HostConfig.CpuQuota}}'],
    ['cpuset', ['--cpuset-cpus', '0'], 'Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.', '{{.HostConfig.CpusetCpus}}'],
    ['io', ['--blkio-weight', '500'], 'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.', '{{.HostConfig.BlkioWeight}}'],
  ];
  for (const [controller, flags, warning, field] of discarded) {
    it.skipIf(controllers.includes(controller))(`discards ${flags.join(' ')} with Docker's warning when there is no ${controller} controller`, async () => {
      const r = await docker('create', ...flags, 'busybox', 'true');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`WARNING: ${warning}`);
      const id = r.stdout.trim();
      expect(await inspect(id, field)).toMatch(/^(0|false|<nil>|)$/);
      // and the container runs without it
      expect((await docker('start', '-a', id)).code).toBe(0);
      await docker('rm', id);
    });
  }

  it.skipIf(controllers.includes('cpu'))('refuses --cpus with Docker\'s error when there is no cpu controller', async () => {
    const r = await docker('run', '--rm', '--cpus', '0.5', 'busybox', 'true');
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted');
  });
});

describe.skipIf(!canRunE2E || !UNIFIED)('berth daemon --cgroup-version 2 --default-cgroupns-mode host', { timeout: 120_000 }, () => {
  const daemon = useTestDaemon({ args: ['--cgroup-version', '2', '--default-cgroupns-mode', 'host'] });

  it("runs containers in the host's cgroup namespace unless --cgroupns private", async () => {
    const d = daemon();
    const host = await d.docker('run', '--rm', 'busybox', 'cat', '/proc/self/cgroup');
    expect(host.stdout).toMatch(new RegExp(`^0::/${d.cgroupParent}/[0-9a-f]{64}$`, 'm'));
    const priv = await d.docker('run', '--rm', '--cgroupns', 'private', 'busybox', 'cat', '/proc/self/cgroup');
    expect(priv.stdout).toMatch(/^0::\/$/m);
  });
});
