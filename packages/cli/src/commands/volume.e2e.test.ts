import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, TestDaemon, type Result } from '../test-support/daemon.js';

// Volumes through the real docker CLI: -v, --mount, --tmpfs, --volumes-from, `docker volume`.
describe.skipIf(!canRunE2E)('volumes against berth daemon', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const ok = async (...args: string[]): Promise<string> => {
    const r = await docker(...args);
    expect(r, `docker ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
    return r.stdout;
  };

  beforeAll(async () => {
    d = await TestDaemon.start();
    await d.importBusybox();
  }, 60_000);

  afterAll(async () => {
    if (!d) return;
    for (const id of (await docker('ps', '-aq')).stdout.split('\n').filter(Boolean)) await docker('rm', '-fv', id);
    for (const v of (await docker('volume', 'ls', '-q')).stdout.split('\n').filter(Boolean)) await docker('volume', 'rm', '-f', v);
    expect(await d.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('keeps data in a named volume from one container to the next, and refuses removing it in use', async () => {
    expect(await ok('volume', 'create', '--label', 'team=db', 'data1')).toBe('data1\n');
    expect(await ok('run', '--name', 'w1', '-v', 'data1:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f')).toBe('');
    expect(await ok('run', '--rm', '-v', 'data1:/data', 'busybox', 'cat', '/data/f')).toBe('kept\n');

    const [v] = JSON.parse(await ok('volume', 'inspect', 'data1')) as Array<Record<string, unknown>>;
    expect(v).toMatchObject({ Driver: 'local', Labels: { team: 'db' }, Name: 'data1', Options: {}, Scope: 'local', Mountpoint: join(d.dir, 'root/volumes/data1/_data') });
    expect(v?.['CreatedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(readFileSync(join(d.dir, 'root/volumes/data1/_data/f'), 'utf8')).toBe('kept\n');

    const [c] = JSON.parse(await ok('inspect', 'w1')) as Array<{ Mounts: unknown[]; Id: string }>;
    expect(c?.Mounts).toEqual([
      { Type: 'volume', Name: 'data1', Source: join(d.dir, 'root/volumes/data1/_data'), Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
    ]);
    expect(await ok('ps', '-a', '--filter', 'volume=data1', '--format', '{{.Names}} {{.Mounts}}')).toBe('w1 data1\n');

    const inUse = await docker('volume', 'rm', 'data1');
    expect(inUse).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: remove data1: volume is in use - [${c?.Id}]\n` });
    expect(await ok('volume', 'ls', '--filter', 'label=team=db')).toBe('DRIVER    VOLUME NAME\nlocal     data1\n');
    await ok('rm', 'w1');
    expect(await ok('volume', 'rm', 'data1')).toBe('data1\n');
    expect(await docker('volume', 'inspect', 'data1')).toMatchObject({ code: 1, stderr: 'Error response from daemon: get data1: no such volume\n' });
  });

  it('binds host paths read-write and read-only, and validates specs as Docker does', async () => {
    const host = join(d.dir, 'bind');
    mkdirSync(host);
    writeFileSync(join(host, 'in'), 'from host\n');
    expect(await ok('run', '--rm', '-v', `${host}:/h:z`, 'busybox', 'sh', '-c', 'cat /h/in; echo out > /h/out')).toBe('from host\n');
    expect(readFileSync(join(host, 'out'), 'utf8')).toBe('out\n');

    const ro = await docker('run', '--rm', '-v', `${host}:/h:ro`, 'busybox', 'sh', '-c', 'echo x > /h/out');
    expect(ro.code).toBe(1);
    expect(ro.stderr).toContain('Read-only file system');

    // A file binds onto a file; a read-only rootfs still gets its mount points made.
    expect(await ok('run', '--rm', '--read-only', '-v', `${join(host, 'in')}:/etc/conf:ro`, '-v', '/fresh', 'busybox', 'sh', '-c', 'cat /etc/conf; touch /fresh/x && echo w')).toBe(
      'from host\nw\n',
    );

    const created = join(d.dir, 'made/by/v');
    expect(await ok('run', '--rm', '-v', `${created}:/m`, 'busybox', 'true')).toBe('');
    expect(existsSync(created)).toBe(true);

    expect(await docker('run', '--rm', '-v', 'x/y:/m', 'busybox', 'true')).toMatchObject({
      code: 125,
      stderr: expect.stringContaining('"x/y" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed'),
    });
    expect(await docker('run', '--rm', '-v', `${host}:/proc/x`, 'busybox', 'true')).toMatchObject({
      code: 125,
      stderr: expect.stringContaining('"/proc/x" cannot be mounted because it is inside /proc'),
    });
    expect(await docker('run', '--rm', '-v', `${host}:/a`, '-v', `${created}:/a`, 'busybox', 'true')).toMatchObject({
      code: 125,
      stderr: expect.stringContaining('Duplicate mount point: /a'),
    });
  });

  it('shares an anonymous volume through --volumes-from, and rm -v frees it', async () => {
    const id = (await ok('create', '--name', 'holder', '-v', '/shared', 'busybox', 'true')).trim();
    const [h] = JSON.parse(await ok('inspect', 'holder')) as Array<{ Mounts: Array<{ Name: string; Source: string }> }>;
    const anon = h?.Mounts[0]?.Name ?? '';
    expect(anon).toMatch(/^[0-9a-f]{64}$/);
    const [v] = JSON.parse(await ok('volume', 'inspect', anon)) as Array<{ Labels: Record<string, string>; Options: unknown }>;
    expect(v?.Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    expect(v?.Options).toBeNull();

    expect(await ok('run', '--rm', '--volumes-from', 'holder', 'busybox', 'sh', '-c', 'echo shared > /shared/f')).toBe('');
    expect(await ok('run', '--rm', '--volumes-from', 'holder:ro', 'busybox', 'cat', '/shared/f')).toBe('shared\n');
    const roWrite = await docker('run', '--rm', '--volumes-from', 'holder:ro', 'busybox', 'touch', '/shared/g');
    expect(roWrite.code).toBe(1);
    expect(roWrite.stderr).toContain('Read-only file system');

    expect(await ok('rm', '-v', id)).toBe(`${id}\n`);
    expect(await docker('volume', 'inspect', anon)).toMatchObject({ code: 1, stderr: `Error response from daemon: get ${anon}: no such volume\n` });
    expect(existsSync(join(d.dir, 'root/volumes', anon))).toBe(false);

    // --rm takes the container's anonymous volumes with it, as rm -v does.
    const before = (await ok('volume', 'ls', '-q')).split('\n').filter(Boolean);
    expect(await ok('run', '--rm', '-v', '/scratch', 'busybox', 'touch', '/scratch/x')).toBe('');
    expect((await ok('volume', 'ls', '-q')).split('\n').filter(Boolean)).toEqual(before);
  });

  it("copies the image's content into a fresh volume (image VOLUMEs: see engine-core volumes.test.ts)", async () => {
    // busybox has /etc: an anonymous volume over it starts with the image's files.
    expect(await ok('run', '--name', 'cu', '-v', '/etc', 'busybox', 'cat', '/etc/passwd')).toContain('root:x:0:0');
    const [c] = JSON.parse(await ok('inspect', 'cu')) as Array<{ Mounts: Array<{ Name: string; Destination: string }> }>;
    const m = c?.Mounts[0];
    expect(m?.Destination).toBe('/etc');
    expect(readFileSync(join(d.dir, 'root/volumes', m?.Name ?? '', '_data/passwd'), 'utf8')).toContain('root:x:0:0');
    // A named volume that already has content is not overwritten.
    await ok('volume', 'create', 'etcvol');
    writeFileSync(join(d.dir, 'root/volumes/etcvol/_data/mine'), 'x');
    expect(await ok('run', '--rm', '-v', 'etcvol:/etc', 'busybox', 'ls', '/etc')).toBe('mine\n');
    await ok('rm', '-v', 'cu');
  });

  it('mounts with --mount and --tmpfs, and tmpfs-backed local volumes', async () => {
    const host = join(d.dir, 'mnt-src');
    mkdirSync(host);
    writeFileSync(join(host, 'f'), 'bound\n');
    expect(await docker('run', '--rm', '--mount', `type=bind,source=${host},target=/b,readonly`, 'busybox', 'sh', '-c', 'cat /b/f; touch /b/x || echo refused')).toEqual({
      code: 0,
      stdout: 'bound\nrefused\n',
      stderr: 'touch: /b/x: Read-only file system\n',
    });
    expect(await docker('run', '--rm', '--mount', 'type=bind,source=/does/not/exist,target=/b', 'busybox', 'true')).toMatchObject({
      code: 125,
      stderr: expect.stringContaining('invalid mount config for type "bind": bind source path does not exist: /does/not/exist'),
    });
    expect(await ok('run', '--rm', '--mount', 'type=volume,source=mvol,target=/v,volume-label=k=v', 'busybox', 'sh', '-c', 'echo m > /v/f')).toBe('');
    expect(JSON.parse(await ok('volume', 'inspect', 'mvol'))[0].Labels).toEqual({ k: 'v' });
    expect(await ok('run', '--rm', '--mount', 'type=tmpfs,target=/t,tmpfs-size=1m', 'busybox', 'sh', '-c', 'grep " /t " /proc/mounts')).toMatch(
      /^tmpfs \/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/,
    );
    expect(await ok('run', '--rm', '--tmpfs', '/run:size=2m,exec', 'busybox', 'sh', '-c', 'grep " /run " /proc/mounts')).toMatch(
      /^tmpfs \/run tmpfs rw,nosuid,nodev,relatime,size=2048k/,
    );

    expect(await ok('volume', 'create', '-d', 'local', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'tvol')).toBe('tvol\n');
    expect(await ok('run', '--rm', '-v', 'tvol:/tv', 'busybox', 'sh', '-c', 'grep " /tv " /proc/mounts')).toMatch(/^tmpfs \/tv tmpfs rw,relatime,size=1024k/);
    expect(JSON.parse(await ok('volume', 'inspect', 'tvol'))[0].Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m' });
    expect(await docker('volume', 'create', '-o', 'foo=bar', 'badopt')).toMatchObject({ code: 1, stderr: 'Error response from daemon: create badopt: invalid option: "foo"\n' });
    // The local driver's bind form: the volume is a host directory mounted on its data dir.
    const device = join(d.dir, 'bind-device');
    mkdirSync(device);
    await ok('volume', 'create', '-o', 'type=none', '-o', 'o=bind', '-o', `device=${device}`, 'bvol');
    expect(await ok('run', '--rm', '-v', 'bvol:/bv', 'busybox', 'sh', '-c', 'echo through > /bv/f')).toBe('');
    expect(readFileSync(join(device, 'f'), 'utf8')).toBe('through\n');
    expect(await ok('volume', 'rm', 'tvol', 'mvol', 'bvol')).toBe('tvol\nmvol\nbvol\n');
    // Removing the volume unmounted it and left the host directory's content alone.
    expect(readFileSync(join(device, 'f'), 'utf8')).toBe('through\n');
  });

  it('berth volume and berth run -v/--mount/--tmpfs work the same way', async () => {
    const berth = (...args: string[]): Promise<Result> => d.berth(...args);
    expect(await berth('volume', 'create', '--label', 'x=1', 'bv')).toEqual({ code: 0, stdout: 'bv\n', stderr: '' });
    expect(await berth('run', '--rm', '-v', 'bv:/d', '--tmpfs', '/t:size=1m', 'busybox', 'sh', '-c', 'echo b > /d/f; grep -c " /t tmpfs" /proc/mounts')).toEqual({
      code: 0,
      stdout: '1\n',
      stderr: '',
    });
    expect(await berth('run', '--rm', '--mount', 'src=bv,dst=/m,readonly', 'busybox', 'sh', '-c', 'cat /m/f; touch /m/g 2>/dev/null || echo ro')).toEqual({
      code: 0,
      stdout: 'b\nro\n',
      stderr: '',
    });
    expect(await berth('run', '--rm', '--mount', 'type=bind,dst=/x', 'busybox', 'true')).toMatchObject({
      code: 125,
      stdout: '',
      stderr: expect.stringMatching(/^Error response from daemon: invalid mount config for type "bind": field Source must not be empty\n/),
    });
    expect(await berth('run', '--rm', '--mount', 'type=bind,src=/x', 'busybox', 'true')).toEqual({
      code: 125,
      stdout: '',
      stderr: `invalid argument "type=bind,src=/x" for "--mount" flag: target is required\nSee 'berth run --help'.\n`,
    });
    expect((await berth('volume', 'ls', '--filter', 'name=bv')).stdout).toBe('DRIVER    VOLUME NAME\nlocal     bv\n');
    expect(await berth('volume', 'ls', '-q', '-f', 'label=x=2')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await berth('volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Labels}}', 'bv')).toEqual({ code: 0, stdout: 'bv local map[x:1]\n', stderr: '' });
    expect(await berth('volume', 'rm', 'bv', 'nope')).toEqual({
      code: 1,
      stdout: 'bv\n',
      stderr: 'Error response from daemon: get nope: no such volume\nError: failed to remove volumes: [nope]\n',
    });
    expect(await berth('volume', 'prune', '-f')).toEqual({ code: 0, stdout: 'Total reclaimed space: 0B\n', stderr: '' });
  });

  it('prunes unused anonymous volumes (all with --all) and keeps volumes over a daemon restart', async () => {
    await ok('volume', 'create', 'keepme');
    const id = (await ok('create', '-v', '/anon', 'busybox', 'true')).trim();
    const anon = (JSON.parse(await ok('inspect', id)) as Array<{ Mounts: Array<{ Name: string }> }>)[0]?.Mounts[0]?.Name ?? '';
    await ok('rm', id);
    await d.stop();
    await d.restart();
    expect((await ok('volume', 'ls', '-q')).split('\n')).toEqual(expect.arrayContaining(['keepme', anon]));
    const pruned = await ok('volume', 'prune', '-f');
    expect(pruned).toContain(`Deleted Volumes:\n${anon}\n`);
    expect(pruned).not.toContain('keepme');
    expect(await ok('volume', 'prune', '-f', '--all')).toContain('keepme');
  });
});
