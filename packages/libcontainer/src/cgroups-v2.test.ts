// Integration tests of the cgroup v2 driver as root, on this host's cgroup2 hierarchy: a unified
// host's /sys/fs/cgroup, or a hybrid host's /sys/fs/cgroup/unified, whose controllers are only
// those v1 does not hold (here hugetlb). Everything v2 does without controllers is checked for
// real; each limit whose controller is missing must be refused by name.
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupHost } from './cgroups/index.js';
import { Container } from './container.js';
import type { Resources } from './spec.js';
import { useTestEnv } from './test-support/env.js';

const unified = cgroupHost().unified;
const MB = 1024 * 1024;
const read = (file: string) => readFileSync(file, 'utf8').trim();
const events = (dir: string) => Object.fromEntries(read(join(dir, 'cgroup.events')).split('\n').map((l) => l.split(' ')));
const rootControllers = unified ? read(join(unified, 'cgroup.controllers')).split(' ').filter(Boolean) : [];

/** Polls until `check` holds (the kernel updates cgroup.events after the last task is reaped). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!unified)('cgroup v2', { timeout: 30_000 }, () => {
  const testEnv = useTestEnv(2);
  // The driver hands the root's controllers down from the root, like runc: put the root back as it was.
  let rootSubtree = '';
  beforeAll(() => {
    rootSubtree = read(join(unified as string, 'cgroup.subtree_control'));
  });
  afterAll(() => {
    const before = new Set(rootSubtree.split(' ').filter(Boolean));
    const added = read(join(unified as string, 'cgroup.subtree_control')).split(' ').filter((c) => c && !before.has(c));
    if (added.length) writeFileSync(join(unified as string, 'cgroup.subtree_control'), added.map((c) => `-${c}`).join(' '));
  });

  const dirOf = (c: Container) => c.cgroup.paths.unified as string;

  it('places the init and its children in the v2 cgroup only, and tracks populated in cgroup.events', async () => {
    const c = await testEnv().create('place', { args: ['sh', '-c', 'sleep 100 & cat /proc/self/cgroup; wait'] });
    let out = '';
    await c.attach({ stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
    const dir = dirOf(c);
    expect(c.cgroup.version).toBe(2);
    expect(dir).toBe(join(unified as string, testEnv().cgroupParent, 'place'));
    expect(read(join(dir, 'cgroup.procs')).split('\n')).toEqual([String(c.pid)]);
    await c.start();
    await until(() => out.includes('0::'), 'the container output');
    expect(out).toContain(`0::/${testEnv().cgroupParent}/place\n`);
    expect(read(join(dir, 'cgroup.procs')).split('\n')).toContain(String(c.pid));
    // and in none of a hybrid host's v1 hierarchies
    const v1Lines = read(`/proc/${c.pid}/cgroup`).split('\n').filter((l) => !l.startsWith('0::'));
    for (const l of v1Lines) expect(l).not.toContain(testEnv().cgroupParent);
    expect(events(dir).populated).toBe('1');
    // exec joins the same cgroup
    const p = c.exec({ args: ['cat', '/proc/self/cgroup'] });
    let execOut = '';
    p.stdout.on('data', (d: Buffer) => (execOut += d.toString()));
    expect(await p.result).toEqual({ exitCode: 0 });
    expect(execOut).toContain(`0::/${testEnv().cgroupParent}/place\n`);
    // a container taken back from its state dir finds its v2 cgroup
    expect(Container.load(c.stateDir).cgroup.paths).toEqual({ unified: dir });
    await c.signal('SIGKILL');
    await c.wait();
    c.cgroup.killAll(); // the orphaned sleep
    await until(() => events(dir).populated === '0', 'populated 0');
    await c.destroy();
    expect(existsSync(dir)).toBe(false);
  });

  it('shows the container its own cgroup2 directory at /sys/fs/cgroup, read-only', async () => {
    // cgroup.procs lists pids as the reader's pid namespace sees them: the init is 1
    const { out, err } = await testEnv().run('cgmount', { args: ['sh', '-c', 'grep -qx 1 /sys/fs/cgroup/cgroup.procs && echo init; ls /sys/fs/cgroup/cgroup.freeze; echo 1 > /sys/fs/cgroup/cgroup.freeze'] });
    expect(out).toBe('init\n/sys/fs/cgroup/cgroup.freeze\n');
    expect(err).toContain('Read-only file system');
  });

  it('roots a new cgroup namespace at the container cgroup, for the init and for exec', async () => {
    const c = await testEnv().create('cgns', { args: ['sh', '-c', 'cat /proc/self/cgroup; sleep 100'], namespaces: { cgroup: { mode: 'new' } } });
    let out = '';
    await c.attach({ stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
    await c.start();
    await until(() => out.includes('0::'), 'the container output');
    expect(out).toMatch(/^0::\/$/m);
    expect(readlinkSync(`/proc/${c.pid}/ns/cgroup`)).not.toBe(readlinkSync('/proc/self/ns/cgroup'));
    const p = c.exec({ args: ['cat', '/proc/self/cgroup'] });
    let execOut = '';
    p.stdout.on('data', (d: Buffer) => (execOut += d.toString()));
    expect(await p.result).toEqual({ exitCode: 0 });
    expect(execOut).toMatch(/^0::\/$/m);
  });

  it('pauses through cgroup.freeze, seen in cgroup.events and the task state, and resumes', async () => {
    const c = await testEnv().create('pause', { args: ['sh', '-c', 'while true; do echo tick; sleep 0.05; done'] });
    let out = '';
    await c.attach({ stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
    await c.start();
    await until(() => out.length > 0, 'first output');
    await c.pause();
    const dir = dirOf(c);
    expect(read(join(dir, 'cgroup.freeze'))).toBe('1');
    expect(events(dir).frozen).toBe('1');
    expect(c.paused()).toBe(true);
    expect(read(`/proc/${c.pid}/status`)).toMatch(/^State:\s+S \(sleeping\)$/m);
    await new Promise((r) => setTimeout(r, 150)); // output already on its way may still arrive
    const frozenAt = out.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(out.length).toBe(frozenAt);
    await c.resume();
    expect(events(dir).frozen).toBe('0');
    expect(c.paused()).toBe(false);
    await until(() => out.length > frozenAt, 'output after resume');
  });

  it('kills every process at once through cgroup.kill (Linux 5.14+), even frozen ones', async (ctx) => {
    const c = await testEnv().create('kill', { args: ['sh', '-c', 'sleep 100 & sleep 100 & sh -c "sleep 100" & wait'] });
    const dir = dirOf(c);
    if (!existsSync(join(dir, 'cgroup.kill'))) ctx.skip();
    await c.start();
    // sh, two sleeps, and the inner sh (or the sleep it execs)
    await until(() => read(join(dir, 'cgroup.procs')).split('\n').length === 4, 'four processes');
    await c.pause();
    const exited = c.wait();
    c.cgroup.killAll();
    expect(await exited).toMatchObject({ exitCode: 137, signal: 9 });
    await until(() => events(dir).populated === '0', 'populated 0');
    expect(read(join(dir, 'cgroup.procs'))).toBe('');
  });

  it('finds, kills and removes processes in sub-cgroups the container made', async () => {
    const c = await testEnv().create('nested', { args: ['sh', '-c', 'sleep 100 & wait'] });
    await c.start();
    const dir = dirOf(c);
    await until(() => read(join(dir, 'cgroup.procs')).split('\n').length === 2, 'sh and sleep');
    const sleeper = Number(read(join(dir, 'cgroup.procs')).split('\n').find((p) => p !== String(c.pid)));
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'deeper', 'cgroup.procs'), String(sleeper));
    expect(read(join(dir, 'cgroup.procs'))).toBe(String(c.pid));
    expect(c.cgroup.pids().sort()).toEqual([c.pid, sleeper].sort());
    await c.destroy();
    expect(existsSync(dir)).toBe(false);
    expect(() => process.kill(sleeper, 0)).toThrow();
  });

  it('reports the cpu time of cpu.stat, and zeros for the controllers it lacks', async () => {
    const c = await testEnv().create('stats', { args: ['sh', '-c', 'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; sleep 100'] });
    await c.start();
    const dir = dirOf(c);
    await until(() => Number(/usage_usec (\d+)/.exec(read(join(dir, 'cpu.stat')))?.[1]) > 10_000, 'cpu time');
    const s = c.stats();
    const usage = Number(/usage_usec (\d+)/.exec(read(join(dir, 'cpu.stat')))?.[1]) * 1000;
    expect(s.cpu.totalUsage).toBeGreaterThan(10_000_000);
    expect(s.cpu.totalUsage).toBeLessThanOrEqual(usage);
    expect(s.cpu.usageInUsermode + s.cpu.usageInKernelmode).toBeGreaterThan(0);
    expect(s.cpu.systemUsage).toBeGreaterThan(s.cpu.totalUsage);
    const has = (controller: string) => rootControllers.includes(controller);
    if (!has('memory')) expect(s.memory).toMatchObject({ usage: 0, limit: 0 });
    if (!has('pids')) expect(s.pids).toEqual({ current: 0, limit: 0 });
    if (!has('io')) expect(s.blkio.ioServiceBytesRecursive).toEqual([]);
  });

  it.skipIf(!rootControllers.includes('hugetlb'))('enables hugetlb through cgroup.subtree_control and writes the huge page limits', async () => {
    // the page sizes the kernel has: hugepages-2048kB → 2MB
    const sizes = readdirSync('/sys/kernel/mm/hugepages').map((d) => Number(/(\d+)kB/.exec(d)?.[1]) / 1024).map((mb) => (mb >= 1024 ? `${mb / 1024}GB` : `${mb}MB`));
    expect(sizes).toContain('2MB');
    const c = await testEnv().create('huge', { args: ['true'], resources: { hugepageLimits: sizes.map((pageSize) => ({ pageSize, limit: 1024 * MB })) } });
    const dir = dirOf(c);
    const parent = join(unified as string, testEnv().cgroupParent);
    expect(read(join(parent, 'cgroup.subtree_control')).split(' ')).toContain('hugetlb');
    expect(read(join(dir, 'cgroup.controllers')).split(' ')).toContain('hugetlb');
    for (const size of sizes) {
      expect(read(join(dir, `hugetlb.${size}.max`))).toBe(String(1024 * MB));
      if (existsSync(join(dir, `hugetlb.${size}.rsvd.max`))) expect(read(join(dir, `hugetlb.${size}.rsvd.max`))).toBe(String(1024 * MB));
    }
    // changed on a live container too (docker update's path)
    c.cgroup.update({ hugepageLimits: [{ pageSize: '2MB', limit: 4 * MB }] });
    expect(read(join(dir, 'hugetlb.2MB.max'))).toBe(String(4 * MB));
    // a page size the kernel does not have is the kernel's "no such file", named
    expect(() => c.cgroup.update({ hugepageLimits: [{ pageSize: '3MB', limit: 4 * MB }] })).toThrow(`failed to write "${4 * MB}" to ${dir}/hugetlb.3MB.max`);
  });

  it("filters devices with a BPF program: Docker's default rules, an added rule, none when privileged", async () => {
    // 240 is a major for local use: with no driver, an open the filter lets through fails ENXIO
    const script = 'echo x > /dev/null && head -c 3 /dev/zero | wc -c; rm -f /tmp/d; mknod /tmp/d c 240 0 && cat /tmp/d; echo > /tmp/d';
    const denied = await testEnv().run('dev-default', { args: ['sh', '-c', script] });
    expect(denied.out.trim()).toBe('3');
    expect(denied.err).toContain("cat: can't open '/tmp/d': Operation not permitted");
    const added = await testEnv().run('dev-added', { args: ['sh', '-c', script], resources: { devices: [{ allow: true, type: 'c', major: 240, minor: 0, access: 'r' }] } });
    expect(added.err).toContain("cat: can't open '/tmp/d': No such device or address");
    expect(added.err).toContain("can't create /tmp/d: Operation not permitted"); // no w in the rule
    const privileged = await testEnv().run('dev-priv', { args: ['sh', '-c', script], privileged: true });
    expect(privileged.err).toContain("cat: can't open '/tmp/d': No such device or address");
    expect(privileged.err).toContain("can't create /tmp/d: No such device or address");
  });

  // what each limit needs, and one Resources that sets it
  const limits: [string, Resources][] = [
    ['memory', { memory: 64 * MB }],
    ['memory', { memory: 64 * MB, memorySwap: 128 * MB }],
    ['memory', { memoryReservation: 32 * MB }],
    ['memory', { unified: { 'memory.oom.group': '1' } }],
    ['cpu', { cpuShares: 512 }],
    ['cpu', { cpuQuota: 50000, cpuPeriod: 100000 }],
    ['cpuset', { cpusetCpus: '0' }],
    ['cpuset', { cpusetMems: '0' }],
    ['io', { blkioWeight: 500 }],
    ['io', { blkioReadBps: [{ major: 1, minor: 3, rate: MB }] }],
    ['io', { blkioWriteIops: [{ major: 1, minor: 3, rate: 100 }] }],
    ['pids', { pidsLimit: 10 }],
  ];
  const missing = limits.filter(([controller]) => !rootControllers.includes(controller));

  it.skipIf(missing.length === 0)('refuses every limit whose controller is missing, naming it, and leaves nothing behind', async () => {
    for (const [i, [controller, resources]] of missing.entries()) {
      const id = `missing-${i}`;
      const create = testEnv().create(id, { args: ['true'], resources });
      await expect(create).rejects.toThrow(new RegExp(`can't be set: cgroup v2 controller "${controller}" not available in .*/${id} \\(cgroup.controllers: `));
      expect(existsSync(join(unified as string, testEnv().cgroupParent, id))).toBe(false);
      expect(existsSync(testEnv().stateDir(id))).toBe(false);
    }
  });

  it('refuses the limits v2 has no file for', async () => {
    await expect(testEnv().create('swappiness', { args: ['true'], resources: { memorySwappiness: 10 } })).rejects.toThrow('cgroup v2 does not support memory swappiness');
    await expect(testEnv().create('oomkd', { args: ['true'], resources: { oomKillDisable: true } })).rejects.toThrow('cgroup v2 does not support oom-kill-disable');
  });
});
