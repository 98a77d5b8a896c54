// Integration tests as root against the real kernel: namespaces, rootfs, capabilities, seccomp,
// exit codes, attach and logs, with the busybox fixture.
import { appendFileSync, chmodSync, existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hostBoundingSet } from './capabilities.js';
import { ContainerError } from './errors.js';
import { useTestEnv } from './test-support/env.js';

const testEnv = useTestEnv();

const sh = (script: string) => ['sh', '-c', script];

describe('isolation', () => {
  it('runs the command as PID 1 in new pid, mount, uts, ipc and net namespaces with the given hostname', async () => {
    const script = 'for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done; echo pid1=$(cat /proc/1/cmdline | tr "\\0" " "); hostname';
    const { status, out } = await testEnv().run('ns', { args: sh(script), hostname: 'berth-box' });
    expect(status.exitCode).toBe(0);
    const lines = out.trim().split('\n');
    for (const [i, n] of ['pid', 'mnt', 'uts', 'ipc', 'net'].entries()) {
      expect(lines[i]).toMatch(new RegExp(`^${n}:\\[\\d+\\]$`));
      expect(lines[i]).not.toBe(readlinkSync(`/proc/self/ns/${n}`));
    }
    expect(lines[5]).toBe(`pid1=sh -c ${script}`);
    expect(lines[6]).toBe('berth-box');
  });

  it('masks /proc paths, makes /proc/sys read-only and shows the rootfs at /', async () => {
    const { status, out } = await testEnv().run('mask', {
      args: sh('wc -c < /proc/keys; wc -c < /proc/timer_list; echo 1 > /proc/sys/vm/overcommit_memory || echo ro; ls /etc/passwd'),
    });
    expect(status.exitCode).toBe(0);
    // /proc/kcore is masked too, but this kernel has no kcore: keys and timer_list are read instead
    expect(out.trim().split('\n')).toEqual(['0', '0', 'ro', '/etc/passwd']);
  });

  it("gives Docker's 14 capabilities by default", async () => {
    const { out } = await testEnv().run('caps', { args: sh('grep -E "^Cap(Eff|Bnd|Prm)" /proc/self/status') });
    expect(out).toContain('CapEff:\t00000000a80425fb');
    expect(out).toContain('CapBnd:\t00000000a80425fb');
  });

  it('gives everything the host allows when privileged', async () => {
    const { out } = await testEnv().run('priv', { args: sh('grep CapEff /proc/self/status'), privileged: true });
    expect(out.trim()).toBe(`CapEff:\t${hostBoundingSet().toString(16).padStart(16, '0')}`);
  });

  it('runs as the user named in the image, with its groups', async () => {
    appendFileSync(`${testEnv().rootfs}/etc/group`, 'staff:x:50:nobody\n');
    const { out } = await testEnv().run('user', { args: ['id'], user: 'nobody' });
    expect(out.trim()).toBe('uid=65534(nobody) gid=65534(nogroup) groups=50(staff)');
    const numeric = await testEnv().run('uidgid', { args: ['id'], user: '1234:50' });
    expect(numeric.out.trim()).toBe('uid=1234 gid=50(staff)');
  });

  it('blocks what the default seccomp profile blocks with EPERM, and not when unconfined', async () => {
    const blocked = await testEnv().run('seccomp', { args: ['unshare', '-U', 'true'] });
    expect(blocked.status.exitCode).toBe(1);
    expect(blocked.err).toContain('Operation not permitted');
    const unconfined = await testEnv().run('unconfined', { args: ['unshare', '-U', 'true'], seccomp: 'unconfined' });
    expect(unconfined.status.exitCode).toBe(0);
  });

  it('maps ids in a new user namespace', async () => {
    const maps = [{ containerId: 0, hostId: 100000, size: 65536 }];
    chmodSync(testEnv().root, 0o755); // the mapped root must be able to reach its rootfs
    const { status, out } = await testEnv().run('userns', {
      args: sh('cat /proc/self/uid_map; id -u; stat -c %u /bin/busybox; echo > /dev/null && echo devices'),
      namespaces: { user: { mode: 'new' } },
      uidMappings: maps,
      gidMappings: maps,
    });
    expect(status.exitCode).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]?.trim().split(/\s+/)).toEqual(['0', '100000', '65536']);
    // host root owns the fixture: unmapped inside, so it shows as the overflow id
    expect(lines.slice(1)).toEqual(['0', '65534', 'devices']);
  });

  it("joins another container's network namespace and the host's uts namespace", async () => {
    const first = await testEnv().create('netowner', { args: ['sleep', '100'] });
    await first.start();
    const { out } = await testEnv().run('joiner', {
      args: sh('readlink /proc/self/ns/net; readlink /proc/self/ns/uts'),
      namespaces: { net: { mode: 'join', path: `/proc/${first.pid}/ns/net` }, uts: { mode: 'host' } },
    });
    expect(out.trim().split('\n')).toEqual([readlinkSync(`/proc/${first.pid}/ns/net`), readlinkSync('/proc/self/ns/uts')]);
  });

  it('applies a read-only rootfs, rlimits, sysctls and oom_score_adj', async () => {
    const { out } = await testEnv().run('ro', {
      args: sh('touch /x 2>/dev/null || echo rofs; ulimit -n; cat /proc/sys/net/ipv4/ip_forward; cat /proc/self/oom_score_adj'),
      readonlyRootfs: true,
      rlimits: [{ type: 'nofile', soft: 321, hard: 654 }],
      sysctls: { 'net.ipv4.ip_forward': '1' },
      oomScoreAdj: 500,
    });
    expect(out.trim().split('\n')).toEqual(['rofs', '321', '1', '500']);
  });
});

describe('exit codes and errors', () => {
  it('returns the exit code of the command and 128+signal when killed', async () => {
    expect((await testEnv().run('exit', { args: sh('exit 42') })).status).toMatchObject({ exitCode: 42, signal: 0, oomKilled: false });
    const c = await testEnv().create('killed', { args: ['sleep', '100'] });
    await c.start();
    const exited = c.wait();
    await c.signal('SIGKILL');
    expect(await exited).toMatchObject({ exitCode: 137, signal: 9 });
  });

  it('fails start with 127 and Docker\'s message when the command does not exist', async () => {
    const c = await testEnv().create('missing', { args: ['nosuchcommand'] });
    const err = await c.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ exitCode: 127, step: 'exec', code: 'ENOENT' });
    expect((err as Error).message).toBe('exec: "nosuchcommand": executable file not found in $PATH');
    expect((await c.wait()).exitCode).toBe(127);
  });

  it('fails start with 126 when the command is not executable', async () => {
    const c = await testEnv().create('noexec', { args: ['/etc/passwd'] });
    await expect(c.start()).rejects.toMatchObject({ exitCode: 126, code: 'EACCES' });
    expect((await c.wait()).exitCode).toBe(126);
  });

  it('names the failing setup step and errno when create fails', async () => {
    const err = await testEnv().create('badcwd', { args: ['true'], user: 'nobody', mounts: [{ type: 'bind', source: '/nonexistent-berth', destination: '/mnt' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ step: 'bind mount', code: 'ENOENT' });
  });
});

describe('stdio and logs', () => {
  it("writes Docker's json-file log with both streams", async () => {
    const log = `${testEnv().root}/ctr-json.log`;
    await testEnv().run('log', { args: sh('echo out; echo "<err> & \\"q\\"" >&2; printf partial'), log: { path: log } });
    const entries = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    expect(entries.map((e) => [e.stream, e.log]).sort()).toEqual([
      ['stderr', '<err> & "q"\n'],
      ['stdout', 'out\n'],
      ['stdout', 'partial'],
    ]);
    for (const e of entries) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    expect(readFileSync(log, 'utf8')).toContain('\\u003cerr\\u003e \\u0026');
  });

  it('rotates the log at max-size keeping max-file files', async () => {
    const log = `${testEnv().root}/rot-json.log`;
    await testEnv().run('rotate', { args: sh('i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); done'), log: { path: log, maxSize: 2000, maxFile: 3 } });
    const files = [log, `${log}.1`, `${log}.2`].map((f) => readFileSync(f, 'utf8'));
    expect(() => readFileSync(`${log}.3`)).toThrow();
    for (const f of files) expect(f.length).toBeLessThan(2000 + 120);
    expect(files[0]).toContain('line199');
  });

  it('feeds stdin through attach and closes it at the end of input', async () => {
    const c = await testEnv().create('stdin', { args: ['sh', '-c', 'read a; echo got:$a; cat'], openStdin: true });
    let out = '';
    const { Readable } = await import('node:stream');
    const attached = await c.attach({ stdin: Readable.from([Buffer.from('hello\n'), Buffer.from('more\n')]), stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
    await c.start();
    expect((await c.wait()).exitCode).toBe(0);
    await attached.done;
    expect(out).toBe('got:hello\nmore\n');
  });

  // The stdin's EOF frame then reaches a monitor that has exited: the failed write must not cost
  // this client the output and exit queued for it (the monitor waits for it to hang up).
  it('delivers output and exit to an attachment whose stdin ends after the container exited', async () => {
    for (const tty of [false, true]) {
      const c = await testEnv().create(`late-eof-${tty}`, { args: sh('read a; echo got:$a'), openStdin: true, tty });
      const stdin = new PassThrough();
      let out = '';
      const attached = await c.attach({ stdin, stdout: { write: (d: Buffer) => (out += d.toString()) } as never });
      await c.start();
      stdin.write('hello\n');
      await new Promise(setImmediate); // the line is on its way
      // This thread (its event loop) stands still until the container exited and the monitor told it.
      const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      for (let waited = 0; !existsSync(join(c.stateDir, 'exit.json')) && waited < 10_000; waited += 5) block(5);
      block(20);
      stdin.end();
      expect((await attached.done)?.exitCode).toBe(0);
      expect(out).toMatch(tty ? /got:hello\r\n$/ : /^got:hello\n$/);
    }
  });

  it('gives a tty on /dev/console to a tty container', async () => {
    const { out } = await testEnv().run('tty', { args: sh('tty; [ -t 0 ] && echo isatty'), tty: true });
    expect(out).toBe('/dev/console\r\nisatty\r\n');
  });
});
