// Integration tests as root: stdin that reaches an attachment after the start (as dockerode or
// docker-py write it) never costs the container's output, also when the container exits before
// the stdin's EOF reaches the monitor. Each case loops: every other run forces that order (the
// event loop stands still, as on a loaded daemon, until the process is gone), the others race.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecCreateRequest } from '@berth/api-types';
import { removeCgroupTree } from '@berth/libcontainer';
import { Engine } from './engine.js';

const repo = join(import.meta.dirname, '../../../..');
const READ_ONE_LINE = ['sh', '-c', 'read l; echo "got:$l"'];
let dir: string;
let cgroupParent: string;
let e: Engine;

beforeAll(async () => {
  const fixture = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
  dir = mkdtempSync('/tmp/bs-');
  cgroupParent = `berth-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  e = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent });
  await e.images.import(createReadStream(fixture), { repo: 'busybox' });
});

afterAll(async () => {
  for (const c of e.list({ all: true })) await e.remove(c.Id, { force: true }).catch(() => {});
  e.close();
  await removeCgroupTree(cgroupParent);
  rmSync(dir, { recursive: true, force: true });
});

/** Blocks this thread, and so the event loop, until `gone()` holds (at most 10 s), then 20 ms more. */
function stallUntil(gone: () => boolean): void {
  const block = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  for (let waited = 0; !gone() && waited < 10_000; waited += 5) block(5);
  block(20);
}

/** Writes the line and its EOF; stalled, with the event loop held until `gone` in between. */
async function send(stdin: PassThrough, line: string, gone: (() => boolean) | undefined): Promise<void> {
  stdin.write(`${line}\n`);
  if (gone) {
    await new Promise(setImmediate); // the line is on its way
    stallUntil(gone);
  }
  stdin.end();
}

/** Attaches stdin and stdout before the start, then sends a line after it; returns what came out. */
async function attachAfterStart(line: string, opts: { tty: boolean; stalled: boolean }): Promise<string> {
  const { Id } = e.createContainer({ Image: 'busybox', Cmd: READ_ONE_LINE, OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, Tty: opts.tty });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const attached = e.attach(Id, { stdin, stdout });
  await e.start(Id);
  // The monitor records the exit in the container's run dir.
  await send(stdin, line, opts.stalled ? () => existsSync(join(dir, 'r/containers', Id, 'exit.json')) : undefined);
  await (await attached).done;
  expect(e.inspect(Id).State.ExitCode).toBe(0);
  await e.remove(Id);
  return text;
}

describe('attach with stdin written after the start', () => {
  it('gets every output, also when the container exits before the EOF is sent (100 runs)', async () => {
    const lost: string[] = [];
    for (let i = 0; i < 100; i++) {
      const text = await attachAfterStart(`line ${i}`, { tty: false, stalled: i % 2 === 1 });
      if (text !== `got:line ${i}\n`) lost.push(`${i}: ${JSON.stringify(text)}`);
    }
    expect(lost).toEqual([]);
  }, 120_000);

  it('gets every output of a TTY container (20 runs)', async () => {
    const lost: string[] = [];
    for (let i = 0; i < 20; i++) {
      const text = await attachAfterStart(`line ${i}`, { tty: true, stalled: i % 2 === 1 });
      // The terminal echoes the line before the answer.
      if (!text.endsWith(`got:line ${i}\r\n`)) lost.push(`${i}: ${JSON.stringify(text)}`);
    }
    expect(lost).toEqual([]);
  }, 120_000);
});

describe('exec -i with stdin written after the start', () => {
  /** Starts the exec, then sends a line; returns what came out. */
  async function execAfterStart(id: string, line: string, opts: { tty: boolean; stalled: boolean }): Promise<string> {
    const execId = e.execs.create(id, ExecCreateRequest.parse({ Cmd: READ_ONE_LINE, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: opts.tty }));
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (d: Buffer) => (text += d.toString()));
    const session = await e.execs.start(execId, { stdin, stdout, stderr: stdout });
    const pid = e.execs.inspect(execId).Pid;
    await send(stdin, line, opts.stalled ? () => !existsSync(`/proc/${pid}`) : undefined);
    expect(await session.done).toBe(0);
    return text;
  }

  it('gets every output, with and without a TTY (20 runs each)', async () => {
    const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sleep', '1000'] });
    await e.start(Id);
    const lost: string[] = [];
    for (let i = 0; i < 40; i++) {
      const tty = i >= 20;
      const text = await execAfterStart(Id, `line ${i}`, { tty, stalled: i % 2 === 1 });
      if (!text.endsWith(tty ? `got:line ${i}\r\n` : `got:line ${i}\n`)) lost.push(`${i}: ${JSON.stringify(text)}`);
    }
    expect(lost).toEqual([]);
    await e.remove(Id, { force: true });
  }, 120_000);
});
