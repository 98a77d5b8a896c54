// A hostile image's symlinks must not move mounts, device nodes or directories out of its rootfs:
// every destination is resolved with the rootfs as "/" (native/src/container/rootpath.c).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEVICES } from './defaults.js';
import { ContainerError } from './errors.js';
import { extractFixture, TestEnv } from './test-support/env.js';

let fixture: string;
let env: TestEnv;
/** Host dirs a broken resolution would write into: each test checks they stay as they were. */
let canary: string;
let source: string;

beforeAll(() => {
  fixture = extractFixture();
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));
beforeEach(() => {
  env = new TestEnv(fixture);
  canary = mkdtempSync(join(tmpdir(), 'berth-sj-canary-'));
  source = mkdtempSync(join(tmpdir(), 'berth-sj-source-'));
  writeFileSync(join(source, 'marker'), 'from the host\n');
});
afterEach(async () => {
  const leftover = [canary, source].flatMap((d) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(d)));
  // remove the canary first: a test that failed may have mounted or created things below it
  rmSync(canary, { recursive: true, force: true });
  rmSync(`${canary}-file`, { force: true });
  rmSync(source, { recursive: true, force: true });
  expect(await env.cleanup()).toEqual([]);
  expect(leftover).toEqual([]);
});

const sh = (script: string) => ['sh', '-c', script];
const hostMounts = (name: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(name));

describe('mount destinations through symlinks in the image', () => {
  it('re-roots an absolute symlink: /evil -> / puts a bind at /evil/tmp/x on the rootfs /tmp/x', async () => {
    symlinkSync('/', join(env.rootfs, 'evil'));
    const name = basename(canary); // /tmp/<name> exists on the host: a bind landing there would show
    writeFileSync(join(source, 'file'), 'a file\n');
    const { status, out, err } = await env.run('abs', {
      args: sh(`cat /tmp/${name}/marker /tmp/${name}-file; grep -c " /tmp/${name} " /proc/self/mountinfo`),
      mounts: [
        { type: 'bind', source, destination: `/evil/tmp/${name}`, options: ['ro'] },
        { type: 'bind', source: join(source, 'file'), destination: `/evil/tmp/${name}-file` },
      ],
    });
    expect(err).toBe('');
    expect(status.exitCode).toBe(0);
    expect(out).toBe('from the host\na file\n1\n');
    expect(readdirSync(canary)).toEqual([]);
    expect(existsSync(`${canary}-file`)).toBe(false);
    expect(lstatSync(join(env.rootfs, 'tmp', name)).isDirectory()).toBe(true);
    expect(lstatSync(join(env.rootfs, 'tmp', `${name}-file`)).isFile()).toBe(true);
    expect(hostMounts(name)).toEqual([]);
  });

  it('clamps "..": /rel -> ../../../../../../tmp/<canary> puts a tmpfs at /rel/m inside the rootfs', async () => {
    const name = basename(canary);
    symlinkSync(`../../../../../../tmp/${name}`, join(env.rootfs, 'rel'));
    const { status, out } = await env.run('rel', {
      args: sh(`stat -f -c %T /rel/m; grep " /tmp/${name}/m " /proc/self/mountinfo | grep -c " - tmpfs "`),
      mounts: [{ type: 'tmpfs', destination: '/rel/m' }],
    });
    expect(status.exitCode).toBe(0);
    expect(out).toBe('tmpfs\n1\n');
    expect(readdirSync(canary)).toEqual([]);
    expect(lstatSync(join(env.rootfs, 'tmp', name, 'm')).isDirectory()).toBe(true);
    expect(hostMounts(name)).toEqual([]);
  });

  it('follows dangling symlinks and chains inside the rootfs, creating what they point to', async () => {
    symlinkSync('c2', join(env.rootfs, 'c1'));
    symlinkSync('/../nowhere/../made', join(env.rootfs, 'c2'));
    symlinkSync('../../nonexist/file', join(env.rootfs, 'dangle'));
    writeFileSync(join(source, 'file'), 'a file\n');
    const { status, out } = await env.run('chain', {
      args: sh('stat -f -c %T /made/t; cat /nonexist/file; ls -d /nowhere'),
      mounts: [
        { type: 'tmpfs', destination: '/c1/t/' },
        { type: 'bind', source: join(source, 'file'), destination: '/dangle' },
      ],
    });
    expect(status.exitCode).toBe(0);
    // a missing directory the link walks through is made, as mkdir -p would
    expect(out).toBe('tmpfs\na file\n/nowhere\n');
  });

  it('fails create with ELOOP, naming the step, on a symlink loop', async () => {
    symlinkSync('/loop2', join(env.rootfs, 'loop'));
    symlinkSync('loop', join(env.rootfs, 'loop2'));
    const err = await env.create('loop', { args: ['true'], mounts: [{ type: 'tmpfs', destination: '/loop/m' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ step: 'create mount point', code: 'ELOOP' });
    expect((err as Error).message).toBe('create mount point: too many symbolic links encountered (ELOOP)');
  });

  it('refuses to mount proc on a symlink, as runc does', async () => {
    rmSync(join(env.rootfs, 'proc'), { recursive: true, force: true });
    symlinkSync('/tmp', join(env.rootfs, 'proc'));
    const err = await env.create('procln', { args: ['true'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ step: 'proc must be mounted on ordinary directory', code: 'ENOTDIR' });
  });

  it('creates device nodes, the cwd and missing directories inside the rootfs only', async () => {
    const name = basename(canary);
    mkdirSync(join(env.rootfs, 'tmp', name));
    symlinkSync(`/../../../tmp/${name}`, join(env.rootfs, 'up'));
    const { status, out } = await env.run('nodes', {
      args: sh('pwd; ls -l /up/null2 | cut -c1; ls /up/made'),
      cwd: '/up/work',
      mounts: [{ type: 'tmpfs', destination: '/up/made/deep' }],
      devices: [...DEFAULT_DEVICES, { path: '/up/null2', type: 'c', major: 1, minor: 3 }],
    });
    expect(status.exitCode).toBe(0);
    expect(out).toBe(`/tmp/${name}/work\nc\ndeep\n`); // busybox pwd prints the resolved path
    expect(readdirSync(canary)).toEqual([]);
    expect(readdirSync(join(env.rootfs, 'tmp', name)).sort()).toEqual(['made', 'null2', 'work']);
  });
});
