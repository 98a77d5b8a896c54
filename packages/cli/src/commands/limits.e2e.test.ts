import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, cgroupDirs, TestDaemon, type Result } from '../test-support/daemon.js';

const V1 = existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');

/** GET on the daemon's socket; resolves with the first `frames` JSON lines of the body. */
function getFrames(sock: string, path: string, frames: number): Promise<Record<string, any>[]> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: sock, path, method: 'GET' }, (res) => {
      let buf = '';
      const got: Record<string, any>[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0 && got.length < frames) {
          got.push(JSON.parse(buf.slice(0, nl)) as Record<string, any>);
          buf = buf.slice(nl + 1);
        }
        if (got.length >= frames) {
          req.destroy();
          resolve(got);
        }
      });
      res.on('end', () => resolve(got));
    });
    req.on('error', reject);
    req.end();
  });
}

// Limits, security options and stats, for real: the cgroup files, the kernel's refusals, the
// docker CLI's output. As root on a v1 (hybrid) host.
describe.skipIf(!canRunE2E || !V1)('resource limits and security options against berth daemon', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const cg = (controller: string, id: string, file: string, parent = d.cgroupParent): string =>
    readFileSync(join('/sys/fs/cgroup', controller, parent, id, file), 'utf8').trim();
  const run = async (...args: string[]): Promise<Result> => docker('run', '--rm', ...args);

  beforeAll(async () => {
    d = await TestDaemon.start();
    await d.importBusybox();
  }, 60_000);

  afterAll(async () => {
    await docker('rm', '-f', 'lim-cg', 'lim-cpus', 'lim-parent', 'lim-oom', 'lim-burn', 'lim-upd', 'lim-berth', 'lim-idle');
    for (const dir of cgroupDirs(join(d.cgroupParent, 'custom'))) rmdirSync(dir);
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('writes each limit flag to its cgroup v1 file and shows it in inspect', async () => {
    const r = await docker(
      'run', '-d', '--name', 'lim-cg', '-m', '64m', '--memory-reservation', '32m', '--memory-swappiness', '10',
      '--oom-kill-disable', '-c', '512', '--cpu-period', '50000', '--cpu-quota', '25000', '--cpuset-cpus', '0',
      '--cpuset-mems', '0', '--pids-limit', '50', '--device-read-bps', '/dev/vda:1mb', '--device-write-iops', '/dev/vda:100',
      '--shm-size', '32m', '--oom-score-adj', '300', 'busybox', 'sleep', '300',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const id = r.stdout.trim();
    expect(cg('memory', id, 'memory.limit_in_bytes')).toBe(String(64 << 20));
    // -m alone: swap as much again (memory+swap = 2 x memory)
    expect(cg('memory', id, 'memory.memsw.limit_in_bytes')).toBe(String(128 << 20));
    expect(cg('memory', id, 'memory.soft_limit_in_bytes')).toBe(String(32 << 20));
    expect(cg('memory', id, 'memory.swappiness')).toBe('10');
    expect(cg('memory', id, 'memory.oom_control')).toMatch(/^oom_kill_disable 1$/m);
    expect(cg('cpu', id, 'cpu.shares')).toBe('512');
    expect(cg('cpu', id, 'cpu.cfs_period_us')).toBe('50000');
    expect(cg('cpu', id, 'cpu.cfs_quota_us')).toBe('25000');
    expect(cg('cpuset', id, 'cpuset.cpus')).toBe('0');
    expect(cg('cpuset', id, 'cpuset.mems')).toBe('0');
    expect(cg('pids', id, 'pids.max')).toBe('50');
    expect(cg('blkio', id, 'blkio.throttle.read_bps_device')).toBe('254:0 1048576');
    expect(cg('blkio', id, 'blkio.throttle.write_iops_device')).toBe('254:0 100');
    // the init as the host sees it (no exec needed)
    const pid = (await docker('inspect', '-f', '{{.State.Pid}}', 'lim-cg')).stdout.trim();
    expect(readFileSync(`/proc/${pid}/mountinfo`, 'utf8')).toMatch(/ \/dev\/shm .* - tmpfs shm .*size=32768k/);
    expect(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8')).toBe('300\n');
    const h = JSON.parse((await docker('inspect', '-f', '{{json .HostConfig}}', 'lim-cg')).stdout);
    expect(h).toMatchObject({
      Memory: 64 << 20,
      MemorySwap: 128 << 20,
      MemoryReservation: 32 << 20,
      MemorySwappiness: 10,
      OomKillDisable: true,
      CpuShares: 512,
      PidsLimit: 50,
      ShmSize: 32 << 20,
      OomScoreAdj: 300,
    });
  });

  it('maps --cpus onto the CFS quota and --cgroup-parent onto the cgroup path', async () => {
    const cpus = await docker('run', '-d', '--name', 'lim-cpus', '--cpus', '0.5', 'busybox', 'sleep', '300');
    expect(cpus.code).toBe(0);
    expect(cg('cpu', cpus.stdout.trim(), 'cpu.cfs_period_us')).toBe('100000');
    expect(cg('cpu', cpus.stdout.trim(), 'cpu.cfs_quota_us')).toBe('50000');
    const parent = `${d.cgroupParent}/custom`;
    const p = await docker('run', '-d', '--name', 'lim-parent', '--cgroup-parent', parent, '-m', '32m', '--memory-swap', '-1', 'busybox', 'sleep', '300');
    expect(p.code).toBe(0);
    expect(cg('memory', p.stdout.trim(), 'memory.limit_in_bytes', parent)).toBe(String(32 << 20));
    // --memory-swap -1: unlimited swap (the kernel's "no limit" value)
    expect(cg('memory', p.stdout.trim(), 'memory.memsw.limit_in_bytes', parent)).toBe('9223372036854771712');
    await docker('rm', '-f', 'lim-cpus', 'lim-parent');
  });

  it("refuses bad limits with Docker's messages and warns about what the host lacks", async () => {
    expect(await run('-m', '1m', 'busybox', 'true')).toMatchObject({
      code: 125,
      stderr: expect.stringContaining('Error response from daemon: Minimum memory limit allowed is 6MB'),
    });
    expect((await run('-m', '20m', '--memory-swap', '10m', 'busybox', 'true')).stderr).toContain(
      'Minimum memoryswap limit should be larger than memory limit, see usage',
    );
    expect((await run('--cpu-period', '100', 'busybox', 'true')).stderr).toContain(
      'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)',
    );
    expect((await run('--security-opt', 'foo=bar', 'busybox', 'true')).stderr).toContain('invalid --security-opt 2: "foo=bar"');
    const weight = await run('--blkio-weight', '300', 'busybox', 'true');
    expect(weight.code).toBe(0);
    expect(weight.stderr).toContain('WARNING: Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
    const labels = await run('--security-opt', 'apparmor=unconfined', '--security-opt', 'label=disable', '--userns', 'host', 'busybox', 'true');
    expect(labels.code).toBe(0);
    // this host has neither AppArmor nor SELinux: both options are accepted with a warning
    if (!existsSync('/sys/module/apparmor')) expect(labels.stderr).toContain('WARNING: AppArmor is not enabled on this host: apparmor profile discarded.');
    if (!existsSync('/sys/fs/selinux')) expect(labels.stderr).toContain('WARNING: SELinux is not enabled on this host: label options discarded.');
    const info = await docker('info');
    expect(info.code).toBe(0);
    expect(info.stdout + info.stderr).toContain('WARNING: No blkio weight support');
    const sys = JSON.parse((await docker('info', '-f', '{{json .}}')).stdout);
    expect(sys).toMatchObject({ MemoryLimit: true, SwapLimit: true, CpuCfsQuota: true, CPUShares: true, PidsLimit: true, OomKillDisable: true });
  });

  it('OOM-kills a memory hog at its limit and reports OOMKilled and the oom event', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    const r = await docker('run', '--name', 'lim-oom', '-m', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'tail /dev/zero');
    expect(r.code).toBe(137);
    const state = JSON.parse((await docker('inspect', '-f', '{{json .State}}', 'lim-oom')).stdout);
    expect(state).toMatchObject({ OOMKilled: true, ExitCode: 137, Running: false });
    const until = String(Math.floor(Date.now() / 1000) + 1);
    const events = await docker('events', '--since', since, '--until', until, '--filter', 'container=lim-oom', '--format', '{{.Action}}');
    expect(events.stdout.split('\n').filter((a) => a === 'oom' || a === 'die')).toEqual(['oom', 'die']);
    await docker('rm', 'lim-oom');

    // a child OOM-killed while the init lives on: the event comes at once, OOMKilled at the exit
    const start = String(Math.floor(Date.now() / 1000) - 1);
    const survivor = await docker('run', '-d', '--name', 'lim-oom', '-m', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'tail /dev/zero; sleep 300');
    expect(survivor.code).toBe(0);
    let live: Result | undefined;
    for (let i = 0; i < 100 && !live?.stdout.includes('oom'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      live = await docker('events', '--since', start, '--until', String(Math.floor(Date.now() / 1000)), '--filter', 'container=lim-oom', '--format', '{{.Action}}');
    }
    expect(live?.stdout.split('\n')).toContain('oom');
    expect(JSON.parse((await docker('inspect', '-f', '{{json .State}}', 'lim-oom')).stdout)).toMatchObject({ Running: true });
    await docker('rm', '-f', 'lim-oom');
  });

  it('applies capabilities: --cap-drop ALL stops chown, --cap-add NET_ADMIN allows ip link', async () => {
    expect((await run('busybox', 'chown', '65534', '/tmp')).code).toBe(0);
    const dropped = await run('--cap-drop', 'ALL', 'busybox', 'chown', '65534', '/tmp');
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toContain('Operation not permitted');
    const without = await run('busybox', 'ip', 'link', 'set', 'lo', 'down');
    expect(without.code).not.toBe(0);
    expect(without.stderr).toContain('Operation not permitted');
    expect(await run('--cap-add', 'NET_ADMIN', 'busybox', 'ip', 'link', 'set', 'lo', 'down')).toMatchObject({ code: 0, stderr: '' });
  });

  it('--read-only refuses writes to the rootfs but not to its tmpfs mounts', async () => {
    const ro = await run('--read-only', 'busybox', 'touch', '/x');
    expect(ro.code).toBe(1);
    expect(ro.stderr).toContain('Read-only file system');
    expect(await run('--read-only', 'busybox', 'sh', '-c', 'echo ok > /dev/shm/x && cat /dev/shm/x')).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('--privileged gives every capability and the host devices; a seccomp profile file applies', async () => {
    expect(await run('--privileged', 'busybox', 'sh', '-c', 'ls /dev/loop0 && ip link set lo down && grep Seccomp: /proc/self/status')).toMatchObject({
      code: 0,
      stdout: '/dev/loop0\nSeccomp:\t0\n',
    });
    const profile = join(d.dir, 'no-mkdir.json');
    writeFileSync(profile, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }] }));
    const denied = await run('--security-opt', `seccomp=${profile}`, 'busybox', 'mkdir', '/x');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Operation not permitted');
    expect((await run('busybox', 'mkdir', '/x')).code).toBe(0);
  });

  it('resolves -u from the image and adds --group-add groups', async () => {
    expect(await run('-u', 'nobody', 'busybox', 'id')).toMatchObject({ code: 0, stdout: 'uid=65534(nobody) gid=65534(nogroup)\n' });
    expect((await run('-u', 'nobody:root', 'busybox', 'id', '-g')).stdout).toBe('0\n');
    expect((await run('-u', '1234:5678', 'busybox', 'id', '-u')).stdout).toBe('1234\n');
    expect((await run('-u', 'nobody', '--group-add', 'root', '--group-add', '4242', 'busybox', 'id', '-G')).stdout).toBe('65534 0 4242\n');
  });

  it('maps --device nodes with their cgroup permissions', async () => {
    expect((await run('busybox', 'ls', '/dev/xk')).code).not.toBe(0);
    const mapped = await run('--device', '/dev/loop0:/dev/xk', 'busybox', 'sh', '-c', 'stat -c "%F %t:%T" /dev/xk; dd if=/dev/xk of=/dev/null count=0 && echo readable');
    expect(mapped).toMatchObject({ code: 0, stdout: 'block special file 7:0\nreadable\n' });
    const writeOnly = await run('--device', '/dev/loop0:/dev/xk:w', 'busybox', 'dd', 'if=/dev/xk', 'of=/dev/null', 'count=0');
    expect(writeOnly.code).not.toBe(0);
    expect(writeOnly.stderr).toContain('Operation not permitted');
    expect((await run('--device', '/dev/nosuch', 'busybox', 'true')).stderr).toContain(
      'error gathering device information while adding custom device "/dev/nosuch": no such file or directory',
    );
  });

  it('sets no_new_privs, ulimits and a pids limit that bite', async () => {
    expect((await run('--security-opt', 'no-new-privileges', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status')).stdout).toBe('NoNewPrivs:\t1\n');
    expect((await run('busybox', 'grep', 'NoNewPrivs', '/proc/self/status')).stdout).toBe('NoNewPrivs:\t0\n');
    expect((await run('--ulimit', 'nofile=100:200', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn')).stdout).toBe('100\n200\n');
    const fsize = await run('--ulimit', 'fsize=1024', 'busybox', 'dd', 'if=/dev/zero', 'of=/tmp/f', 'bs=1k', 'count=10');
    expect(fsize, 'SIGXFSZ or EFBIG').toMatchObject({ code: 1, stderr: expect.stringContaining('File too large') });
    const pids = await run('--pids-limit', '5', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 2 & done; wait');
    expect(pids.stderr).toContain("can't fork");
    expect((await run('--sysctl', 'net.ipv4.ip_forward=1', 'busybox', 'cat', '/proc/sys/net/ipv4/ip_forward')).stdout).toBe('1\n');
    expect((await run('--security-opt', 'seccomp=unconfined', 'busybox', 'grep', 'Seccomp:', '/proc/self/status')).stdout).toBe('Seccomp:\t0\n');
  });

  it('reports stats that move when a container burns CPU and memory', async () => {
    const burn = await docker(
      'run', '-d', '--name', 'lim-burn', '-m', '64m', 'busybox', 'sh', '-c',
      'x=$(head -c 20000000 /dev/zero | tr "\\0" a); while :; do :; done',
    );
    expect(burn.code).toBe(0);
    const id = burn.stdout.trim();
    // the shell holds its 20 MB once the command substitution is done
    for (let i = 0; i < 300 && Number(cg('memory', id, 'memory.usage_in_bytes')) < 20e6; i++) await new Promise((r) => setTimeout(r, 100));

    const [first, second] = await getFrames(d.sock, '/containers/lim-burn/stats', 2);
    expect(first?.precpu_stats.cpu_usage.total_usage).toBe(0);
    expect(second?.precpu_stats).toEqual(first?.cpu_stats);
    expect(second?.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(first?.cpu_stats.cpu_usage.total_usage);
    expect(second).toMatchObject({ name: '/lim-burn', id, memory_stats: { limit: 64 << 20 } });
    expect(second?.memory_stats.usage).toBeGreaterThan(20e6);
    expect(second?.pids_stats.current).toBeGreaterThanOrEqual(1);

    const [once] = await getFrames(d.sock, '/containers/lim-burn/stats?stream=false', 1);
    expect(once?.precpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);
    expect(once?.cpu_stats.online_cpus).toBeGreaterThan(0);

    expect((await docker('run', '-d', '--name', 'lim-idle', 'busybox', 'sleep', '300')).code).toBe(0);
    const table = await docker('stats', '--no-stream', 'lim-burn', 'lim-idle');
    expect(table.code).toBe(0);
    const [header, row, idle, ...rest] = table.stdout.split('\n');
    expect(rest).toEqual(['']);
    expect(idle).toMatch(/^[0-9a-f]{12} +lim-idle +0\.\d\d% +[\d.]+[KM]iB \/ [\d.]+GiB +0\.\d\d% +.+ +1$/);
    expect(header).toMatch(/^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
    const m = /^([0-9a-f]{12}) +lim-burn +([\d.]+)% +([\d.]+)MiB \/ 64MiB +([\d.]+)% +.+ +(\d+)$/.exec(row ?? '');
    expect(m, row).not.toBeNull();
    expect(Number(m?.[2])).toBeGreaterThan(0); // a busy loop, on a machine other tests load too
    expect(Number(m?.[3])).toBeGreaterThan(15);
    expect(Number(m?.[4])).toBeGreaterThan(20);
    // without names: every running container
    const all = await docker('stats', '--no-stream', '--format', '{{.Name}}');
    expect(all.stdout.split('\n')).toEqual(expect.arrayContaining(['lim-burn', 'lim-idle']));
    const book = await d.berth('stats', '--no-stream', 'lim-idle', 'lim-burn');
    expect(book.stdout).toMatch(/^CONTAINER +CPU % +MEM USAGE\/LIMIT +MEM % +NET I\/O\nlim-idle +0\.\d\d% .*\nlim-burn +\d+\.\d\d% +[\d.]+ MB\/67\.11 MB .*\n$/);
    // streaming: the table is redrawn (screen cleared) until interrupted
    const streamed = await d.berthWith({ timeout: 3000 }, 'stats', 'lim-idle');
    expect(streamed.stdout.split('\u001b[2J\u001b[H').filter((t) => /\nlim-idle +0\.\d\d% /.test(t)).length).toBeGreaterThanOrEqual(2);
    await docker('rm', '-f', 'lim-burn', 'lim-idle');
  });

  it('updates the limits of a running container', async () => {
    const r = await docker('run', '-d', '--name', 'lim-upd', '-m', '32m', 'busybox', 'sleep', '300');
    const id = r.stdout.trim();
    expect(await docker('update', '-m', '128m', '--memory-swap', '256m', '-c', '256', '--pids-limit', '30', '--cpus', '0.5', 'lim-upd')).toMatchObject({
      code: 0,
      stdout: 'lim-upd\n',
    });
    expect(cg('memory', id, 'memory.limit_in_bytes')).toBe(String(128 << 20));
    expect(cg('memory', id, 'memory.memsw.limit_in_bytes')).toBe(String(256 << 20));
    expect(cg('cpu', id, 'cpu.shares')).toBe('256');
    expect(cg('cpu', id, 'cpu.cfs_quota_us')).toBe('50000');
    expect(cg('pids', id, 'pids.max')).toBe('30');
    const h = JSON.parse((await docker('inspect', '-f', '{{json .HostConfig}}', 'lim-upd')).stdout);
    expect(h).toMatchObject({ Memory: 128 << 20, MemorySwap: 256 << 20, CpuShares: 256, PidsLimit: 30, NanoCpus: 5e8 });
    const bad = await docker('update', '-m', '1m', 'lim-upd');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`Error response from daemon: Cannot update container ${id}: Minimum memory limit allowed is 6MB`);
    expect((await docker('update', '--pids-limit', '-1', 'lim-upd')).code).toBe(0);
    expect(cg('pids', id, 'pids.max')).toBe('max');
    // a stopped container keeps the new limits and restart policy for its next start
    expect((await docker('stop', '-t', '0', 'lim-upd')).code).toBe(0);
    expect((await docker('update', '-m', '64m', '--restart', 'on-failure:2', 'lim-upd')).code).toBe(0);
    expect((await docker('start', 'lim-upd')).code).toBe(0);
    expect(cg('memory', id, 'memory.limit_in_bytes')).toBe(String(64 << 20));
    expect(JSON.parse((await docker('inspect', '-f', '{{json .HostConfig.RestartPolicy}}', 'lim-upd')).stdout)).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 });
    await docker('rm', '-f', 'lim-upd');
  });

  it('berth run takes the same flags; berth stats prints the book table; berth update changes limits', async () => {
    const r = await d.berth(
      'run', '-d', '--name', 'lim-berth', '-m', '48m', '--memory-reservation', '24m', '--pids-limit', '40', '--cpus', '0.25',
      '--shm-size', '16m', '--group-add', '4242', '-u', 'nobody', '--device-read-iops', '/dev/vda:50', 'busybox', 'sleep', '300',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const id = r.stdout.trim();
    expect(cg('memory', id, 'memory.limit_in_bytes')).toBe(String(48 << 20));
    expect(cg('memory', id, 'memory.memsw.limit_in_bytes')).toBe(String(96 << 20));
    expect(cg('memory', id, 'memory.soft_limit_in_bytes')).toBe(String(24 << 20));
    expect(cg('pids', id, 'pids.max')).toBe('40');
    expect(cg('cpu', id, 'cpu.cfs_quota_us')).toBe('25000');
    expect(cg('blkio', id, 'blkio.throttle.read_iops_device')).toBe('254:0 50');
    const pid = (await d.berth('inspect', '-f', '{{.State.Pid}}', 'lim-berth')).stdout.trim();
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\t65534\t/m);
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Groups:\t4242 $/m);

    const stats = await d.berth('stats', '--no-stream', 'lim-berth');
    expect(stats.code).toBe(0);
    const [header, row, ...rest] = stats.stdout.split('\n');
    expect(header).toBe('CONTAINER           CPU %               MEM USAGE/LIMIT     MEM %               NET I/O');
    expect(row).toMatch(/^lim-berth {11}\d+\.\d\d% +[\d.]+ [kM]?B\/50\.33 MB +\d+\.\d\d% +0 B\/0 B$/);
    expect(rest).toEqual(['']);
    expect(await d.berth('stats', '--no-stream', 'lim-nosuch')).toMatchObject({ code: 1, stderr: expect.stringContaining('lim-nosuch: ') });

    expect(await d.berth('update', '-m', '96m', '--memory-swap', '-1', '--pids-limit', '60', 'lim-berth')).toMatchObject({ code: 0, stdout: 'lim-berth\n' });
    expect(cg('memory', id, 'memory.limit_in_bytes')).toBe(String(96 << 20));
    expect(cg('pids', id, 'pids.max')).toBe('60');
    expect((await d.berth('update', 'lim-berth')).stderr).toContain('You must provide one or more flags when using this command.');
    await d.berth('rm', '-f', 'lim-berth');
  });
});
