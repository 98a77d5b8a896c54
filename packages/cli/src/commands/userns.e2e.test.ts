// The daemon's --userns-remap against the docker CLI, as root: containers in a user namespace
// mapped onto the ranges of the host's `daemon` user, read from subuid/subgid files of the
// test's own (the host's /etc/subuid and /etc/subgid are never touched).
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERTH, canRunE2E, REPO, runProgram, TestDaemon, type Result } from '../test-support/daemon.js';

// two ranges for the user (by name, then by uid), as /etc/subuid may list them
const SUBUID = 'other:100000:65536\ndaemon:231072:1000\n1:400000:64536\n';
const SUBGID = 'daemon:331072:65536\n';
const hasDaemonUser = /^daemon:x:1:1:/m.test(readFileSync('/etc/passwd', 'utf8'));

describe.skipIf(!canRunE2E || !hasDaemonUser)('berth daemon --userns-remap', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  let files: string;
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const env = () => ({ BERTH_SUBUID_FILE: join(files, 'subuid'), BERTH_SUBGID_FILE: join(files, 'subgid') });

  beforeAll(async () => {
    files = mkdtempSync('/tmp/bu-');
    chmodSync(files, 0o711); // the remapped root passes through to the bind-mounted dir below
    writeFileSync(join(files, 'subuid'), SUBUID);
    writeFileSync(join(files, 'subgid'), SUBGID);
    d = await TestDaemon.start({ args: ['--userns-remap=daemon'], env: env() });
  }, 60_000);

  afterAll(async () => {
    const left = await d?.close();
    rmSync(files, { recursive: true, force: true });
    expect(left).toEqual({ mounts: [], cgroups: [] });
  }, 120_000);

  it('keeps its data in <root>/<uid>.<gid>, owned for the remapped root, and says so in info', async () => {
    const root = join(d.dir, 'root', '231072.331072');
    expect(d.log).toContain('User namespaces: ID ranges will be mapped to subuid/subgid ranges of: daemon');
    expect(readdirSync(join(d.dir, 'root'))).toEqual(['231072.331072']);
    expect(lstatSync(root)).toMatchObject({ uid: 0, gid: 331072, mode: 0o40710 });
    const info = await docker('info', '--format', '{{json .SecurityOptions}} {{.DockerRootDir}}');
    expect(info.stdout).toMatch(/"name=userns"/);
    expect(info.stdout.trim().endsWith(` ${root}`)).toBe(true);
  });

  it('loads an image with its files shifted into the range, and saves it with the same IDs', async () => {
    const loaded = await d.loadBusybox();
    expect(loaded.code, loaded.stderr).toBe(0);
    const id = (await docker('inspect', '-f', '{{.Id}}', 'busybox')).stdout.trim();
    const saved = join(files, 'saved.tar');
    expect((await docker('save', '-o', saved, 'busybox')).code).toBe(0);
    expect((await docker('rmi', 'busybox')).code).toBe(0);
    expect((await docker('load', '-i', saved)).stdout).toBe('Loaded image: busybox:latest\n');
    expect((await docker('inspect', '-f', '{{.Id}}', 'busybox')).stdout.trim()).toBe(id);
    // the fixture's own image ID, and the saved layer is the fixture's layer byte for byte
    const fixture = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs'), '--image'], { encoding: 'utf8' }).trim();
    const manifest = (tar: string) => JSON.parse(execFileSync('tar', ['-xOf', tar, 'manifest.json'], { encoding: 'utf8' })) as Array<{ Config: string; Layers: string[] }>;
    expect(id).toBe(`sha256:${manifest(fixture)[0]?.Config.replace(/\.json$/, '').replace(/^blobs\/sha256\//, '')}`);
    const layerSum = (tar: string) => execFileSync('sh', ['-c', `tar -xOf "$0" "$1" | sha256sum`, tar, manifest(tar)[0]?.Layers[0] ?? ''], { encoding: 'utf8' }).split(' ')[0];
    expect(layerSum(saved)).toBe(layerSum(fixture));

    const run = await docker('run', '--name', 'files', 'busybox', 'sh', '-c', 'stat -c "%u %g" /bin/busybox; touch /made');
    expect(run).toMatchObject({ code: 0, stdout: '0 0\n' });
    const upper = JSON.parse((await docker('inspect', '-f', '{{json .GraphDriver.Data}}', 'files')).stdout) as Record<string, string>;
    const rwDir = upper['UpperDir'] ?? join(d.dir, 'root', '231072.331072', 'overlay2', upper['MountID'] ?? '', 'diff');
    // the file the container's root made, and the image's files, belong to the range's first IDs
    expect(lstatSync(join(rwDir, 'made'))).toMatchObject({ uid: 231072, gid: 331072 });
    const lowers = readdirSync(join(d.dir, 'root', '231072.331072', 'overlay2')).filter((n) => n !== 'l' && !n.endsWith('-init'));
    const busybox = lowers.map((n) => join(d.dir, 'root', '231072.331072', 'overlay2', n, 'diff', 'bin/busybox')).find((p) => {
      try {
        return lstatSync(p).isFile();
      } catch {
        return false;
      }
    });
    expect(busybox && lstatSync(busybox)).toMatchObject({ uid: 231072, gid: 331072 });
    // export gives back the image's owners
    const listing = execFileSync('sh', ['-c', `${'/usr/local/bin/docker'} export files | tar -tvf - bin/busybox made`], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: d.host },
    });
    expect(listing).toMatch(/0\/0 .* bin\/busybox/);
    expect(listing).toMatch(/0\/0 .* made/);
  });

  it("runs root in the container as the range's first uid on the host", async () => {
    const started = await docker('run', '-d', '--name', 'sleeper', 'busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map; sleep 60');
    expect(started.code, started.stderr).toBe(0);
    const pid = (await docker('inspect', '-f', '{{.State.Pid}}', 'sleeper')).stdout.trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\t231072\t231072\t231072\t231072$/m);
    expect(status).toMatch(/^Gid:\t331072\t331072\t331072\t331072$/m);
    let logs = await docker('logs', 'sleeper');
    for (let i = 0; i < 50 && logs.stdout.trim().split('\n').length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logs = await docker('logs', 'sleeper');
    }
    const lines = logs.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    // both subuid ranges, container IDs counting on from the first
    expect(lines).toEqual(['0', '0 231072 1000', '1000 400000 64536']);
    expect((await docker('inspect', '-f', '[{{.HostConfig.UsernsMode}}]', 'sleeper')).stdout).toBe('[]\n');
    expect((await docker('rm', '-f', 'sleeper')).code).toBe(0);
  });

  it('owns volumes and the container files for the remapped root; a host dir of real root stays closed', async () => {
    const hostDir = join(files, 'hostdir');
    mkdirSync(hostDir, { mode: 0o755 });
    const denied = await docker('run', '--rm', '-v', `${hostDir}:/h`, 'busybox', 'touch', '/h/x');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("touch: /h/x: Permission denied");
    const ok = await docker('run', '--rm', '-v', 'vol:/data', 'busybox', 'sh', '-c', 'echo hi > /data/f && echo ok >> /etc/hosts && stat -c "%u" /etc/hosts');
    expect(ok).toMatchObject({ code: 0, stdout: '0\n' });
    const data = (await docker('volume', 'inspect', '-f', '{{.Mountpoint}}', 'vol')).stdout.trim();
    expect(lstatSync(join(data, 'f'))).toMatchObject({ uid: 231072, gid: 331072 });
    // docker cp in: the host's root-owned file lands as the container's root
    writeFileSync(join(files, 'copied'), 'x');
    expect((await docker('create', '--name', 'cpdest', 'busybox', 'stat', '-c', '%u %g', '/copied')).code).toBe(0);
    expect((await docker('cp', join(files, 'copied'), 'cpdest:/copied')).code).toBe(0);
    expect((await docker('start', '-a', 'cpdest')).stdout).toBe('0 0\n');
    expect((await docker('rm', 'cpdest')).code).toBe(0);
  });

  it("builds with COPY's files owned by the container's IDs, as the host stores them", async () => {
    const ctx = join(files, 'ctx');
    mkdirSync(ctx);
    writeFileSync(join(ctx, 'f'), 'hi\n');
    execFileSync('tar', ['--owner=1000', '--group=1000', '-cf', join(ctx, 'a.tar'), '-C', ctx, 'f']);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY f /f\nCOPY --chown=65534:65534 f /g\nADD a.tar /a/\nRUN touch /r\n');
    const built = await docker('build', '-q', '-t', 'built', ctx);
    expect(built.code, built.stderr).toBe(0);
    const owners = await docker('run', '--rm', 'built', 'stat', '-c', '%u %g %n', '/f', '/g', '/a/f', '/r');
    expect(owners.stdout).toBe('0 0 /f\n65534 65534 /g\n1000 1000 /a/f\n0 0 /r\n');
  });

  it("runs what a user namespace cannot do by itself, and leaves mknod to the kernel's refusal", async () => {
    const hostIpc = await docker('run', '--rm', '--ipc=host', 'busybox', 'readlink', '/proc/self/ns/ipc');
    expect(hostIpc).toMatchObject({ code: 0, stdout: `${execFileSync('readlink', ['/proc/self/ns/ipc'], { encoding: 'utf8' })}` });
    const hostUts = await docker('run', '--rm', '--uts=host', 'busybox', 'hostname');
    expect(hostUts).toMatchObject({ code: 0, stdout: `${execFileSync('hostname', { encoding: 'utf8' })}` });
    expect(await docker('run', '--rm', '--oom-score-adj=300', 'busybox', 'cat', '/proc/self/oom_score_adj')).toMatchObject({ code: 0, stdout: '300\n' });
    const mknod = await docker('run', '--rm', 'busybox', 'mknod', '/tmp/null', 'c', '1', '3');
    expect(mknod.code).toBe(1);
    expect(mknod.stderr).toContain('mknod: /tmp/null: Operation not permitted');
    // exec joins the user namespace, and the container survives a daemon restart
    expect((await docker('run', '-d', '--name', 'kept', 'busybox', 'sleep', '60')).code).toBe(0);
    await d.stop();
    await d.restart();
    const exec = await docker('exec', 'kept', 'sh', '-c', 'id -u; cat /proc/self/uid_map');
    expect(exec.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' '))).toEqual(['0', '0 231072 1000', '1000 400000 64536', '']);
    expect((await docker('rm', '-f', 'kept')).code).toBe(0);
  });

  it("shares the user namespace of the container whose network it joins, and exec joins them too", async () => {
    expect((await docker('run', '-d', '--name', 'netowner', 'busybox', 'sleep', '60')).code).toBe(0);
    const pid = (await docker('inspect', '-f', '{{.State.Pid}}', 'netowner')).stdout.trim();
    const ns = (type: string) => execFileSync('readlink', [`/proc/${pid}/ns/${type}`], { encoding: 'utf8' }).trim();
    const joined = await docker('run', '-d', '--name', 'joiner', '--net', 'container:netowner', 'busybox', 'sleep', '60');
    expect(joined.code, joined.stderr).toBe(0);
    const exec = await docker('exec', 'joiner', 'sh', '-c', 'readlink /proc/self/ns/net; readlink /proc/self/ns/user; id -u');
    expect(exec.stdout).toBe(`${ns('net')}\n${ns('user')}\n0\n`);
    expect((await docker('rm', '-f', 'joiner', 'netowner')).code).toBe(0);
  });

  it("lets --userns=host opt out, which --privileged needs, with Docker's errors otherwise", async () => {
    const host = await docker('run', '--rm', '--userns=host', 'busybox', 'sh', '-c', 'id -u; cat /proc/self/uid_map');
    expect(host.code, host.stderr).toBe(0);
    expect(host.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' '))).toEqual(['0', '0 0 4294967295', '']);
    const started = await docker('run', '-d', '--name', 'realroot', '--userns=host', 'busybox', 'sleep', '60');
    expect(started.code).toBe(0);
    const pid = (await docker('inspect', '-f', '{{.State.Pid}} {{.HostConfig.UsernsMode}}', 'realroot')).stdout.trim().split(' ');
    expect(pid[1]).toBe('host');
    expect(readFileSync(`/proc/${pid[0]}/status`, 'utf8')).toMatch(/^Uid:\t0\t0\t0\t0$/m);
    expect((await docker('rm', '-f', 'realroot')).code).toBe(0);

    const priv = await docker('run', '--rm', '--privileged', 'busybox', 'true');
    expect(priv.code).toBe(125);
    expect(priv.stderr).toContain(
      'Error response from daemon: privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode',
    );
    expect((await docker('run', '--rm', '--privileged', '--userns=host', 'busybox', 'true')).code).toBe(0);
    const net = await docker('run', '--rm', '--net=host', 'busybox', 'true');
    expect(net.stderr).toContain("cannot share the host's network namespace when user namespaces are enabled");
    const pidns = await docker('create', '--pid=host', 'busybox', 'true');
    expect(pidns.stderr).toContain('cannot share the host PID namespace when user namespaces are enabled');
  });

  it('default: creates the dockremap user and group and their ranges (over a copy of /etc in a mount namespace of its own)', async () => {
    const dir = mkdtempSync('/tmp/bu-');
    chmodSync(dir, 0o711);
    // the daemon runs where /etc is a private copy: useradd and the ranges never reach the host's files
    const script = [
      'set -e',
      'cp -a /etc "$0/etc"',
      'mount --bind "$0/etc" /etc',
      'node "$1" daemon -H "unix://$0/s.sock" -g "$0/root" --exec-root "$0/run" --bridge=none --userns-remap=default 2> "$0/log" &',
      'pid=$!',
      'for i in $(seq 1 200); do grep -q "completed initialization" "$0/log" && break; sleep 0.1; done',
      'kill $pid; wait $pid || true',
      'grep -h "^dockremap:" /etc/passwd /etc/group /etc/subuid /etc/subgid',
    ].join('\n');
    try {
      const hostPasswd = readFileSync('/etc/passwd', 'utf8');
      const r = await runProgram('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, dir, BERTH], { timeout: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      const [passwd, group, subuid, subgid] = r.stdout.trim().split('\n');
      const uid = passwd?.split(':')[2];
      expect(passwd).toMatch(/^dockremap:x:\d+:\d+:.*:\/bin\/false$/);
      expect(group).toMatch(/^dockremap:x:\d+:/);
      expect(Number(uid)).toBeLessThan(1000); // a system user
      expect(subuid).toMatch(/^dockremap:\d+:65536$/);
      expect(subgid).toMatch(/^dockremap:\d+:65536$/);
      const log = readFileSync(join(dir, 'log'), 'utf8');
      expect(log).toContain('User namespaces: ID ranges will be mapped to subuid/subgid ranges of: dockremap');
      const start = subuid?.split(':')[1] ?? '';
      expect(log).toContain(`root ${dir}/root/${start}.${subgid?.split(':')[1]}`);
      expect(readFileSync('/etc/passwd', 'utf8')).toBe(hostPasswd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start without ranges for the user, with dockerd's message", async () => {
    const dir = mkdtempSync('/tmp/bu-');
    try {
      writeFileSync(join(dir, 'subuid'), 'other:100000:65536\n');
      const r = await runProgram(process.execPath, [BERTH, 'daemon', '-H', `unix://${dir}/s.sock`, '-g', join(dir, 'root'), '--exec-root', join(dir, 'run'), '--bridge=none', '--userns-remap=daemon'], {
        env: { ...process.env, BERTH_SUBUID_FILE: join(dir, 'subuid'), BERTH_SUBGID_FILE: join(files, 'subgid') },
        timeout: 30_000,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('failed to start daemon: Can\'t create ID mappings: no subuid ranges found for user "daemon"\n');
      const bad = await runProgram(process.execPath, [BERTH, 'daemon', '-H', `unix://${dir}/s.sock`, '-g', join(dir, 'root'), '--userns-remap=a:b:c'], { timeout: 30_000 });
      expect(bad.stderr).toContain('failed to start daemon: Invalid user/group specification in --userns-remap: "a:b:c"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

