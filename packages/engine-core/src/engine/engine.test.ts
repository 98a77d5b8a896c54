// Integration tests as root: the engine runs busybox containers on the real kernel, each test
// with its own root, run dir and cgroup parent, and checks that nothing is left behind.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cgroupHost, removeCgroupTree } from '@berth/libcontainer';
import { Engine } from './engine.js';

const repo = join(import.meta.dirname, '../../../..');
let fixture: string;
let dir: string;
let cgroupParent: string;
let engine: Engine | undefined;

beforeAll(() => {
  fixture = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
});

function open(): Engine {
  engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent });
  return engine;
}

function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(prefix));
}

function cgroupDirs(): string[] {
  const host = cgroupHost();
  const roots = host.version === 1 ? [...new Set(host.controllers.values())] : host.unified ? [host.unified] : [];
  return roots.map((r) => join(r, cgroupParent)).filter((p) => existsSync(p) && execFileSync('find', [p, '-mindepth', '1', '-type', 'd'], { encoding: 'utf8' }).trim() !== '');
}

beforeEach(() => {
  // Short: the monitor's socket path under the run dir must fit a sockaddr_un.
  dir = mkdtempSync('/tmp/be-');
  cgroupParent = `berth-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
});

afterEach(async () => {
  const e = engine ?? (existsSync(join(dir, 'root')) ? open() : undefined);
  engine = undefined;
  if (e) {
    for (const c of e.list({ all: true })) await e.remove(c.Id, { force: true }).catch(() => {});
    e.close();
  }
  const leftMounts = mountsUnder(dir);
  for (const m of leftMounts.reverse()) execFileSync('umount', ['-l', m]);
  const leftCgroups = cgroupDirs();
  await removeCgroupTree(cgroupParent);
  rmSync(dir, { recursive: true, force: true });
  expect(leftMounts).toEqual([]);
  expect(leftCgroups).toEqual([]);
});

async function withImage(e: Engine): Promise<string> {
  return e.images.import(createReadStream(fixture), { repo: 'busybox' });
}

async function logsOf(e: Engine, id: string): Promise<string> {
  let out = '';
  for await (const r of e.logs(id, { stdout: true, stderr: true })) out += r.log;
  return out;
}

describe('Engine', () => {
  it('refuses a second open of the same root', () => {
    const e = open();
    expect(() => Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'run2') })).toThrow(/in use by process/);
    e.close();
    engine = undefined;
    open();
  });

  it('creates, starts, waits, logs, inspects, lists and removes a container', async () => {
    const e = open();
    const imageId = await withImage(e);
    expect(e.images.list().map((i) => i.RepoTags)).toEqual([['busybox:latest']]);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo out; echo $HOME $HOSTNAME; exit 3'] }, 'first');
    expect(e.inspect('first').State.Status).toBe('created');
    const exit = e.wait(Id, 'next-exit');
    await e.start('first');
    expect(await exit).toEqual({ StatusCode: 3 });
    const info = e.inspect(Id.slice(0, 8));
    expect(info.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 3, Pid: 0 });
    expect(info.Name).toBe('/first');
    expect(info.Image).toBe(imageId);
    expect(info.Config.Hostname).toBe(Id.slice(0, 12));
    expect(await logsOf(e, Id)).toBe(`out\n/root ${Id.slice(0, 12)}\n`);
    expect(e.list().map((c) => c.Id)).toEqual([]);
    const [summary] = e.list({ all: true });
    expect(summary).toMatchObject({ Id, Names: ['/first'], Image: 'busybox', Command: "sh -c 'echo out; echo $HOME $HOSTNAME; exit 3'", State: 'exited' });
    expect(summary?.Status).toMatch(/^Exited \(3\) /);
    expect(() => e.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'first')).toThrow(/is already in use/);
    await e.remove('first');
    expect(() => e.inspect(Id)).toThrow(`No such container: ${Id}`);
    expect(existsSync(join(dir, 'root/containers', Id))).toBe(false);
  });

  it('commits a running container (paused meanwhile) into a tagged image that holds its changes', async () => {
    const e = open();
    const base = await withImage(e);
    e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo kept > /note; echo ready; sleep 30'] }, 'src');
    await e.start('src');
    for (let i = 0; i < 100 && (await logsOf(e, 'src')) !== 'ready\n'; i++) await new Promise((r) => setTimeout(r, 20));
    const id = await e.commit('src', { repo: 'noted', tag: 'v1', comment: 'a note', author: 'me', config: { ...e.inspect('src').Config, Cmd: ['cat', '/note'] } });
    expect(e.inspect('src').State.Status).toBe('running');
    const img = e.images.inspect('noted:v1');
    expect(img).toMatchObject({ Id: id, Parent: base, Comment: 'a note', Author: 'me' });
    expect(img.Config?.Cmd).toEqual(['cat', '/note']);
    const { Id } = e.createContainer({ Image: 'noted:v1' }, 'dst');
    const exit = e.wait(Id, 'next-exit');
    await e.start(Id);
    expect(await exit).toEqual({ StatusCode: 0 });
    expect(await logsOf(e, Id)).toBe('kept\n');
  });

  it('stops with SIGTERM then SIGKILL, tops, pauses and refuses to remove a running container', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'trap "" TERM; echo up; while true; do sleep 1; done'] });
    await e.start(Id);
    const top = e.top(Id);
    expect(top.Titles).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    expect(top.Processes.map((p) => p[7])).toContain('sh -c trap "" TERM; echo up; while true; do sleep 1; done');
    expect(top.Processes[0]?.[0]).toBe('root');
    const custom = e.top(Id, '-eo pid,comm');
    expect(custom.Titles).toEqual(['PID', 'COMMAND']);
    // The loop's sleep comes and goes: only the shell is always there.
    expect(custom.Processes.map((p) => p[1])).toContain('sh');
    expect(custom.Processes.every((p) => ['sh', 'sleep'].includes(p[1] as string))).toBe(true);
    await e.pause(Id);
    expect(e.inspect(Id).State.Status).toBe('paused');
    await e.unpause(Id);
    await expect(e.remove(Id)).rejects.toThrow(/container is running/);
    const t0 = Date.now();
    await e.stop(Id, 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(e.inspect(Id).State).toMatchObject({ Running: false, ExitCode: 137 });
    await expect(e.stop(Id, 1)).rejects.toThrow('Container is already stopped');
    await expect(e.kill(Id)).rejects.toThrow(`Container ${Id} is not running`);
  });

  it('attaches before the start and gets the whole output', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'for i in 1 2 3; do echo line$i; done; exit 4'], AttachStdout: true });
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const attached = e.attach(Id, { stdout: out });
    await e.start(Id);
    const a = await attached;
    await a.done;
    expect(text).toBe('line1\nline2\nline3\n');
    // The exit is recorded by the time the attachment ends (attach reads the exit code next).
    expect(e.inspect(Id).State).toMatchObject({ Running: false, ExitCode: 4 });
  });

  it('holds an attach to an exited container for its next start (start -a)', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['echo', 'again'], AttachStdout: true });
    await e.start(Id);
    await e.wait(Id, 'not-running');
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const attached = e.attach(Id, { stdout: out });
    await e.start(Id);
    await (await attached).done;
    expect(text).toBe('again\n');
  });

  it("ends an attachment at its stdin's end, the container's stdin kept open, unless created with StdinOnce", async () => {
    const e = open();
    await withImage(e);
    const attachCat = async (Id: string, input: string): Promise<void> => {
      const stdin = new PassThrough();
      const a = await e.attach(Id, { stdin, stdout: new PassThrough() });
      stdin.end(input);
      expect(await a.done).toBeUndefined(); // ended by the client, not by an exit
    };
    // `run -di` then `attach`: each client's stdin ends only its own attachment; cat lives on.
    const kept = e.createContainer({ Image: 'busybox', Cmd: ['cat'], OpenStdin: true });
    await e.start(kept.Id);
    for (const line of ['one\n', 'two\n']) {
      await attachCat(kept.Id, line);
      expect(e.inspect(kept.Id).State.Running).toBe(true);
    }
    await e.kill(kept.Id, 'SIGKILL');
    await e.wait(kept.Id, 'not-running');
    // `run -i` attached (StdinOnce): the client's EOF is the container's, and cat exits.
    const once = e.createContainer({ Image: 'busybox', Cmd: ['cat'], OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true });
    const attached = e.attach(once.Id, { stdin: Readable.from(['three\n']), stdout: new PassThrough() });
    await e.start(once.Id);
    await (await attached).done;
    expect(e.inspect(once.Id).State).toMatchObject({ Running: false, ExitCode: 0 });
  });

  it('takes back a running container after close and reopen, and records its exit', async () => {
    let e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo before; read x < /dev/stdin || sleep 2; echo after; exit 7'] }, 'survivor');
    await e.start(Id);
    const pid = e.inspect(Id).State.Pid;
    e.close();
    engine = undefined;
    expect(() => process.kill(pid, 0)).not.toThrow();
    e = open();
    expect(e.inspect('survivor').State).toMatchObject({ Running: true, Pid: pid });
    expect(await e.wait('survivor')).toEqual({ StatusCode: 7 });
    expect(await logsOf(e, Id)).toBe('before\nafter\n');
    expect(e.inspect('survivor').State).toMatchObject({ Status: 'exited', ExitCode: 7 });
  });

  it('records an exit that happened while the engine was closed', async () => {
    let e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'sleep 1; exit 4'] });
    await e.start(Id);
    e.close();
    engine = undefined;
    await new Promise((r) => setTimeout(r, 2000));
    e = open();
    expect(await e.wait(Id)).toEqual({ StatusCode: 4 });
    expect(e.inspect(Id).State.Status).toBe('exited');
  });

  it('fails a start whose command does not exist with exit code 127', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['/no/such/thing'] });
    await expect(e.start(Id)).rejects.toThrow(/\/no\/such\/thing/);
    // As Docker: a container whose start failed stays created, with the exit code and error.
    expect(e.inspect(Id).State).toMatchObject({ Status: 'created', ExitCode: 127, Error: expect.stringContaining('/no/such/thing') });
  });

  it('gives a container with CgroupnsMode private its own cgroup namespace, rooted at its cgroup', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['cat', '/proc/self/cgroup'], HostConfig: { CgroupnsMode: 'private' } }, 'cgns');
    const exit = e.wait(Id, 'next-exit');
    await e.start(Id);
    expect(await exit).toEqual({ StatusCode: 0 });
    const lines = (await logsOf(e, Id)).trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    // the namespace is made after placement: every hierarchy shows the container's cgroup as its root
    for (const l of lines) expect(l).toMatch(/:\/$/);
    expect(e.inspect(Id).HostConfig.CgroupnsMode).toBe('private');
  });

  it('removes an auto-remove container when it exits, and when its start fails', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'exit 5'], HostConfig: { AutoRemove: true } });
    const removed = e.wait(Id, 'removed');
    await e.start(Id);
    expect(await removed).toEqual({ StatusCode: 5 });
    expect(() => e.inspect(Id)).toThrow(`No such container: ${Id}`);
    const bad = e.createContainer({ Image: 'busybox', Cmd: ['/no/such/thing'], HostConfig: { AutoRemove: true } });
    const gone = e.wait(bad.Id, 'removed');
    await expect(e.start(bad.Id)).rejects.toThrow(/\/no\/such\/thing/);
    expect((await gone).StatusCode).toBe(127);
    expect(e.list({ all: true })).toEqual([]);
  });

  it('restarts by its policy, counts restarts, and stays stopped once stopped', async () => {
    const e = open();
    await withImage(e);
    const { Id } = e.createContainer({
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo run; exit 1'],
      HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } },
    });
    await e.start(Id);
    // Two restarts (100 ms, then 200 ms apart), then the policy gives up.
    for (let i = 0; i < 50 && e.inspect(Id).RestartCount < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await e.wait(Id, 'not-running')).toEqual({ StatusCode: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(e.inspect(Id)).toMatchObject({ RestartCount: 2, State: { Status: 'exited', ExitCode: 1 } });
    expect(await logsOf(e, Id)).toBe('run\nrun\nrun\n');

    const always = e.createContainer({ Image: 'busybox', Cmd: ['sleep', '30'], HostConfig: { RestartPolicy: { Name: 'always' } } });
    await e.start(always.Id);
    await e.stop(always.Id, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(e.inspect(always.Id).State).toMatchObject({ Status: 'exited', Running: false });
    expect(e.inspect(always.Id).RestartCount).toBe(0);
  });
});

describe('Engine volumes', () => {
  const run = async (e: Engine, req: Parameters<Engine['createContainer']>[0], name = ''): Promise<{ id: string; code: number; out: string }> => {
    const { Id } = e.createContainer(req, name);
    const exit = e.wait(Id, 'next-exit');
    await e.start(Id);
    const { StatusCode } = await exit;
    return { id: Id, code: StatusCode, out: await logsOf(e, Id) };
  };

  it("fills a fresh volume for an image VOLUME with the image's content, once", async () => {
    const e = open();
    await withImage(e);
    const { Id: src } = e.createContainer({ Image: 'busybox', Cmd: ['true'] });
    await e.commit(src, { repo: 'withvol', config: { ...e.inspect(src).Config, Volumes: { '/etc': {} } } });
    const first = await run(e, { Image: 'withvol', Cmd: ['sh', '-c', 'cat /etc/passwd; echo mine > /etc/added'] });
    expect(first.out).toMatch(/^root:x:0:0:/);
    const [m] = e.inspect(first.id).Mounts;
    expect(m).toMatchObject({ Type: 'volume', Destination: '/etc', Driver: 'local', Mode: '', RW: true });
    expect(readFileSync(join(m?.Source ?? '', 'passwd'), 'utf8')).toMatch(/^root:x:0:0:/);
    // A restart mounts the same volume as it is: no second copy over the user's changes.
    rmSync(join(m?.Source ?? '', 'passwd'));
    const again = e.wait(first.id, 'next-exit');
    await e.start(first.id);
    await again;
    expect(existsSync(join(m?.Source ?? '', 'passwd'))).toBe(false);
    expect(readFileSync(join(m?.Source ?? '', 'added'), 'utf8')).toBe('mine\n');
    await e.remove(first.id, { volumes: true });
    expect(e.volumes.list().Volumes).toEqual([]);
    // A create refused (its name is taken) leaves no anonymous volume behind.
    e.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'taken');
    expect(() => e.createContainer({ Image: 'withvol', Cmd: ['true'] }, 'taken')).toThrow(/is already in use/);
    expect(e.volumes.list().Volumes).toEqual([]);
  });

  it('keeps volumes and mounts over an engine restart, and mounts a tmpfs volume only while used', async () => {
    let e = open();
    await withImage(e);
    e.volumes.create({ Name: 'mem', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    const data = join(dir, 'root/volumes/mem/_data');
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'grep " /m " /proc/mounts; sleep 30'], HostConfig: { Binds: ['mem:/m'] } });
    await e.start(Id);
    expect(mountsUnder(data)).toEqual([data]);
    e.close();
    e = open();
    expect(e.inspect(Id).Mounts.map((m) => m.Name)).toEqual(['mem']);
    expect(e.volumes.inspect('mem').Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    expect(() => e.volumes.remove('mem')).toThrow(`remove mem: volume is in use - [${Id}]`);
    await e.stop(Id, 0);
    expect(mountsUnder(data)).toEqual([]);
    expect(await logsOf(e, Id)).toMatch(/^tmpfs \/m tmpfs rw,relatime,size=1024k/);
    await e.remove(Id);
    e.volumes.remove('mem');
    expect(existsSync(join(dir, 'root/volumes/mem'))).toBe(false);
  });
});
