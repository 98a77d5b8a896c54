// Integration tests of cgroup limits, OOM, freeze, stats and exec, as root with the busybox fixture.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupHost } from './cgroups/index.js';
import { useTestEnv } from './test-support/env.js';

const testEnv = useTestEnv();

const v1 = cgroupHost().version === 1;
const MB = 1024 * 1024;

describe('cgroup limits', () => {
  it('writes memory, cpu, cpuset and pids limits to the cgroup files', async () => {
    const c = await testEnv().create('limits', {
      args: ['sleep', '100'],
      resources: { memory: 64 * MB, memoryReservation: 32 * MB, memorySwappiness: 10, cpuShares: 512, cpuPeriod: 50000, cpuQuota: 25000, cpusetCpus: '0', pidsLimit: 42 },
    });
    const read = (controller: string, file: string) => readFileSync(join(c.cgroup.paths[controller] ?? '', file), 'utf8').trim();
    if (v1) {
      expect(read('memory', 'memory.limit_in_bytes')).toBe(String(64 * MB));
      expect(read('memory', 'memory.soft_limit_in_bytes')).toBe(String(32 * MB));
      expect(read('memory', 'memory.swappiness')).toBe('10');
      expect(read('cpu', 'cpu.shares')).toBe('512');
      expect(read('cpu', 'cpu.cfs_period_us')).toBe('50000');
      expect(read('cpu', 'cpu.cfs_quota_us')).toBe('25000');
      expect(read('cpuset', 'cpuset.cpus')).toBe('0');
      expect(read('pids', 'pids.max')).toBe('42');
      expect(read('devices', 'devices.list')).toContain('c 1:3 rwm');
      // the init is in every hierarchy before it can run
      for (const f of c.cgroup.procsFiles) expect(readFileSync(f, 'utf8').trim().split('\n')).toContain(String(c.pid));
    } else {
      expect(read('unified', 'memory.max')).toBe(String(64 * MB));
      expect(read('unified', 'cpu.max')).toBe('25000 50000');
      expect(read('unified', 'pids.max')).toBe('42');
    }
    const inside = await testEnv().run('in-cg', { args: ['sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/unified/memory.max'], resources: { memory: 64 * MB } });
    expect(inside.out.trim()).toBe(String(64 * MB));
  });

  it('roots a new cgroup namespace at the container cgroups (made once the init is placed)', async () => {
    const { out } = await testEnv().run('cgns', { args: ['cat', '/proc/self/cgroup'], namespaces: { cgroup: { mode: 'new' } } });
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/:\/$/);
  });

  it('enforces the pids limit', async () => {
    const { out } = await testEnv().run('pids', { args: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done 2>/dev/null; jobs | wc -l'], resources: { pidsLimit: 4 } });
    expect(Number(out.trim())).toBeLessThan(8);
  });

  it('OOM-kills a process allocating 100 MB under a 32 MB limit, notifies and reports it', async () => {
    const c = await testEnv().create('oom', { args: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=100M', 'count=1'], resources: { memory: 32 * MB, memorySwap: 32 * MB } });
    let ooms = 0;
    const attached = await c.attach({ onOom: () => ooms++ });
    await c.start();
    expect(await attached.done).toMatchObject({ exitCode: 137, signal: 9, oomKilled: true });
    expect(ooms).toBeGreaterThanOrEqual(1);
  });

  it('does not report OOM for a normal exit', async () => {
    const { status } = await testEnv().run('no-oom', { args: ['true'], resources: { memory: 32 * MB } });
    expect(status).toMatchObject({ exitCode: 0, oomKilled: false });
  });
});

describe('freeze, stats, exec', () => {
  it('pauses and resumes with the freezer', async () => {
    const c = await testEnv().create('pause', { args: ['sh', '-c', 'while true; do echo tick; sleep 0.05; done'] });
    let out = '';
    await c.attach({ stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
    await c.start();
    await new Promise((r) => setTimeout(r, 200));
    await c.pause();
    expect(c.paused()).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // output already on its way may still arrive
    const frozenAt = out.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(out.length).toBe(frozenAt);
    await c.resume();
    expect(c.paused()).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(out.length).toBeGreaterThan(frozenAt);
  });

  it('reports cpu, memory, pids and network stats', async () => {
    const c = await testEnv().create('stats', { args: ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 100'], resources: { memory: 64 * MB } });
    await c.start();
    await new Promise((r) => setTimeout(r, 300));
    const s = c.stats();
    expect(s.cpu.totalUsage).toBeGreaterThan(0);
    expect(s.cpu.systemUsage).toBeGreaterThan(0);
    expect(s.memory.usage).toBeGreaterThan(0);
    expect(s.memory.limit).toBe(64 * MB);
    expect(s.pids.current).toBeGreaterThanOrEqual(1);
    if (v1) expect(s.cpu.perCpuUsage.length).toBeGreaterThan(0);
    // a new netns has only loopback, which Docker leaves out
    expect(s.networks).toEqual({});
  });

  it('execs into the container: same filesystem and PIDs, own exit code, asked user and env', async () => {
    const c = await testEnv().create('exec', { args: ['sh', '-c', 'echo marker > /tmp/m; exec sleep 100'] });
    await c.start();
    await new Promise((r) => setTimeout(r, 100));
    const p = c.exec({ args: ['sh', '-c', 'cat /tmp/m; ps -o pid,args | grep -v grep | grep "sleep 100"; id -u; echo $FOO; exit 7'], env: ['FOO=bar'], user: 'nobody' });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const result = await p.result;
    expect(result).toEqual({ exitCode: 7 });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('marker');
    expect(lines[1]).toMatch(/^\s*1\s+sleep 100$/);
    expect(lines.slice(2)).toEqual(['65534', 'bar']);
    expect(await p.pid).toBeGreaterThan(0);
  });

  it('reports 127 for a missing command in exec', async () => {
    const c = await testEnv().create('exec127', { args: ['sleep', '100'] });
    await c.start();
    const r = await c.exec({ args: ['nosuch'] }).result;
    expect(r.exitCode).toBe(127);
    expect(r.error?.message).toBe('exec: "nosuch": executable file not found in $PATH');
  });

  it('gives exec a tty when asked', async () => {
    const c = await testEnv().create('exectty', { args: ['sleep', '100'] });
    await c.start();
    const p = c.exec({ args: ['sh', '-c', '[ -t 0 ] && tty'], tty: true });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect({ result: await p.result, out }).toMatchObject({ result: { exitCode: 0 }, out: expect.stringMatching(/^\/dev\/pts\/\d+\r\n$/) });
  });

  it('resizes the terminal of an exec', async () => {
    const c = await testEnv().create('execresize', { args: ['sleep', '100'] });
    await c.start();
    const p = c.exec({ args: ['sh', '-c', 'read x; stty size'], tty: true });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await p.pid;
    p.resize(30, 100);
    // the size goes first; the line that lets the shell run stty follows
    p.stdin.write('go\r');
    expect(await p.result).toMatchObject({ exitCode: 0 });
    expect(out).toMatch(/30 100\r\n$/);
  });

  it('leaves nothing behind after destroy of a running container', async () => {
    const c = await testEnv().create('destroy', { args: ['sh', '-c', 'sleep 100 & sleep 100'] });
    await c.start();
    const paths = Object.values(c.cgroup.paths);
    await c.destroy();
    for (const p of paths) expect(existsSync(p)).toBe(false);
    expect(existsSync(c.stateDir)).toBe(false);
    expect(() => process.kill(c.pid, 0)).toThrow();
  });
});
