// Integration tests as root: exec into busybox containers of a real engine (own root, run dir
// and cgroup parent), checking Docker's errors, inspect, events and exit codes.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExecCreateRequest } from '@berth/api-types';
import { removeCgroupTree } from '@berth/libcontainer';
import { Engine } from '../engine/index.js';

const repo = join(import.meta.dirname, '../../../..');
let fixture: string;
let dir: string;
let cgroupParent: string;
let engine: Engine;

beforeAll(() => {
  fixture = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
});

beforeEach(async () => {
  dir = mkdtempSync('/tmp/bx-');
  cgroupParent = `berth-exec-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent });
  await engine.images.import(createReadStream(fixture), { repo: 'busybox' });
});

afterEach(async () => {
  for (const c of engine.list({ all: true })) await engine.remove(c.Id, { force: true }).catch(() => {});
  engine.close();
  const leftMounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(dir));
  await removeCgroupTree(cgroupParent);
  rmSync(dir, { recursive: true, force: true });
  expect(leftMounts).toEqual([]);
});

async function running(cmd = ['sleep', '100'], extra: Record<string, unknown> = {}): Promise<string> {
  const { Id } = engine.createContainer({ Image: 'busybox', Cmd: cmd, ...extra });
  await engine.start(Id);
  return Id;
}

const req = (body: Record<string, unknown>) => ExecCreateRequest.parse(body);

/** Runs an exec attached to pipes; returns its output and exit code. */
async function run(id: string, body: Record<string, unknown>, input?: string): Promise<{ code: number; out: string; err: string }> {
  const execId = engine.execs.create(id, req({ AttachStdout: true, AttachStderr: true, ...body }));
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const session = await engine.execs.start(execId, { stdin, stdout, stderr });
  if (input !== undefined) stdin.end(input);
  const code = await session.done;
  return { code, out, err };
}

describe('exec', () => {
  it('runs in the container with its env and workdir, the user and env asked, and exits with its code', async () => {
    const id = await running(['sleep', '100'], { Env: ['A=container', 'B=kept'], WorkingDir: '/tmp' });
    expect(await run(id, { Cmd: ['sh', '-c', 'echo $A $B $HOME; pwd; id -u; echo oops >&2; exit 3'], Env: ['A=exec'], User: 'nobody' })).toEqual({
      code: 3,
      out: 'exec kept /nonexistent\n/tmp\n65534\n',
      err: 'oops\n',
    });
    expect(await run(id, { Cmd: ['cat'], AttachStdin: true }, 'piped')).toEqual({ code: 0, out: 'piped', err: '' });
    expect((await run(id, { Cmd: ['pwd'], WorkingDir: '/etc' })).out).toBe('/etc\n');
  });

  it('reports 127 and 126 with the reason on the output', async () => {
    const id = await running();
    expect(await run(id, { Cmd: ['nosuch'] })).toEqual({ code: 127, out: 'exec: "nosuch": executable file not found in $PATH\r\n', err: '' });
    expect((await run(id, { Cmd: ['/etc/passwd'] })).code).toBe(126);
  });

  it('inspects, lists ExecIDs, logs events, and refuses a second start', async () => {
    const id = await running();
    const seen: string[] = [];
    const sub = engine.events.subscribe({}, (e) => seen.push(`${e.action} ${e.actor.attributes['execID']} ${e.actor.attributes['exitCode'] ?? ''}`));
    const execId = engine.execs.create(id, req({ Cmd: ['sh', '-c', 'exit 4'], Tty: true }));
    expect(engine.inspect(id).ExecIDs).toEqual([execId]);
    expect(engine.execs.inspect(execId)).toMatchObject({ ID: execId, ContainerID: id, Running: false, ExitCode: null, Pid: 0 });
    const session = await engine.execs.start(execId);
    expect(engine.execs.inspect(execId).Pid).toBeGreaterThan(0);
    expect(await session.done).toBe(4);
    expect(engine.execs.inspect(execId)).toMatchObject({ Running: false, ExitCode: 4, ProcessConfig: { tty: true, entrypoint: 'sh', arguments: ['-c', 'exit 4'] } });
    expect(() => engine.execs.assertCanStart(execId)).toThrow(`Error: Exec command ${execId} has already run`);
    sub.unsubscribe();
    expect(seen).toEqual([`exec_create: sh -c exit 4 ${execId} `, `exec_start: sh -c exit 4 ${execId} `, `exec_die ${execId} 4`]);
  });

  it('answers Docker’s errors for stopped and paused containers and unknown IDs', async () => {
    const { Id: created } = engine.createContainer({ Image: 'busybox', Cmd: ['true'] });
    expect(() => engine.execs.create(created, req({ Cmd: ['ls'] }))).toThrow(`Container ${created} is not running`);
    expect(() => engine.execs.create('nosuch', req({ Cmd: ['ls'] }))).toThrow('No such container: nosuch');
    const id = await running();
    expect(() => engine.execs.create(id, req({ Cmd: [] }))).toThrow('No exec command specified');
    const execId = engine.execs.create(id, req({ Cmd: ['ls'] }));
    await engine.pause(id);
    expect(() => engine.execs.create(id, req({ Cmd: ['ls'] }))).toThrow(`Container ${id} is paused, unpause the container before exec`);
    expect(() => engine.execs.assertCanStart(execId)).toThrow(`Container ${id} is paused, unpause the container before exec`);
    await engine.unpause(id);
    expect(() => engine.execs.inspect('abc')).toThrow('No such exec instance: abc');
    expect(() => engine.execs.resize(execId.slice(0, 12), 10, 10)).toThrow(`No such exec instance: ${execId.slice(0, 12)}`);
    await engine.remove(id, { force: true });
    expect(() => engine.execs.inspect(execId)).toThrow(`No such exec instance: ${execId}`);
  });

  it('sizes the terminal from the create request and from resize, and kills the process on request', async () => {
    const id = await running();
    const { out } = await run(id, { Cmd: ['sh', '-c', 'sleep 1; stty size'], Tty: true, ConsoleSize: [24, 90] });
    expect(out).toBe('24 90\r\n');
    const execId = engine.execs.create(id, req({ Cmd: ['sleep', '100'] }));
    const session = await engine.execs.start(execId);
    session.kill();
    expect(await session.done).toBe(137);
  });
});
