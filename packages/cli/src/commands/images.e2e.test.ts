// Images and container filesystems through the real docker CLI and the berth CLI against a
// berth daemon: import (stdin, --change), diff, commit (-m -c), cp both ways (and no way out
// through a symlink to /), export, save/load, tag, history, rmi. Outputs compared with the
// book's, IDs and times masked.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, REPO, TestDaemon, type Result } from '../test-support/daemon.js';

const tarNames = (file: string): string[] => execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n');
const mask = (text: string): string =>
  text
    .replace(/[0-9a-f]{64}/g, '<ID>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/(Less than a second|About a minute|\d+ seconds?|\d+ minutes?) ago/g, '<when> ago');

describe.skipIf(!canRunE2E)('images and filesystems through docker and berth', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  let fixture: string;
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const berth = (...args: string[]): Promise<Result> => d.berth(...args);

  beforeAll(async () => {
    d = await TestDaemon.start();
    fixture = execFileSync(process.execPath, ['tools/fixtures/busybox.mjs'], { cwd: REPO, encoding: 'utf8' }).trim();
  }, 60_000);

  afterAll(async () => {
    const left = (await docker('ps', '-aq')).stdout.trim().split('\n').filter(Boolean);
    for (const c of left) await docker('rm', '-f', c);
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('imports from stdin with --change, shows it in images, history and inspect', async () => {
    const imported = await d.dockerWith({ input: readFileSync(fixture) }, 'import', '--change', 'ENV DEBUG true', '-c', 'CMD ["sh"]', '-', 'busybox');
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const env = await docker('inspect', '-f', '{{ .Config.Env }} {{ .Config.Cmd }} {{ .Comment }}', 'busybox');
    expect(env.stdout).toBe('[DEBUG=true] [sh] Imported from -\n');

    const images = await berth('images');
    expect(mask(images.stdout)).toMatch(/^REPOSITORY {10}TAG {17}IMAGE ID {12}CREATED {13,}VIRTUAL SIZE\nbusybox {13}latest {14}<id> {8}<when> ago {3,}[\d.]+ [kM]B\n$/);
    const history = await berth('history', 'busybox');
    expect(mask(history.stdout)).toMatch(/^IMAGE {15}CREATED {13,}CREATED BY {10}SIZE {16}COMMENT\n<id> {8}<when> ago {3,}[\d.]+ [kM]B {3,}Imported from -\n$/);
    expect((await berth('history', '-q', '--no-trunc', 'busybox')).stdout).toBe(imported.stdout);
    expect(await berth('import', '-c', 'FROM x', fixture)).toMatchObject({ code: 1, stderr: expect.stringContaining('from is not a valid change command') });
  });

  it("diffs, commits with -m and -c, and lists the commit in history (CREATED BY cut at 45)", async () => {
    const cmd = 'echo "This is a add test" > /tmp/a.txt; touch /tmp/b.txt; rm /tmp/b.txt; echo change > /tmp/c.txt';
    expect((await docker('run', '--name', 'dif', 'busybox', 'sh', '-c', cmd)).code).toBe(0);
    // The book's example: b.txt came and went in the same layer.
    expect(await docker('diff', 'dif')).toEqual({ code: 0, stdout: 'C /tmp\nA /tmp/a.txt\nA /tmp/c.txt\n', stderr: '' });
    expect((await berth('diff', 'dif')).stdout).toBe('C /tmp\nA /tmp/a.txt\nA /tmp/c.txt\n');

    const committed = await docker('commit', '-m', 'a message', '-c', 'ENV MORE 1', '-c', 'EXPOSE 8080', 'dif', 'newcontainer');
    expect(committed.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const inspect = await docker('inspect', '-f', '{{ .Comment }}|{{ .Config.Env }}|{{ .Config.ExposedPorts }}|{{ .Parent }}', 'newcontainer');
    expect(inspect.stdout).toMatch(/^a message\|\[DEBUG=true MORE=1\]\|map\[8080\/tcp:\{\}\]\|sha256:[0-9a-f]{64}\n$/);
    const history = await berth('history', 'newcontainer');
    const lines = mask(history.stdout).split('\n');
    expect(lines[1]).toMatch(/^<id> {8}<when> ago {3,}sh -c echo "This is a add test" > \/tmp\/a.txt; {3}[\d.]+ k?B {3,}a message$/);
    expect(lines[2]).toMatch(/^<id> {8}<when> ago/);
    const raw = await berth('history', '-H=false', 'newcontainer');
    expect(raw.stdout.split('\n')[1]).toMatch(/^[0-9a-f]{12} {8}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) {3,}sh -c .{39} {3}\d+ {3,}a message$/);

    // berth commit prints the bare ID, as the book shows; the change list is the book's.
    const byBerth = await berth('commit', '-a', 'someone', '-c', 'LABEL version=1.0', 'dif');
    expect(byBerth.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await docker('inspect', '-f', '{{ .Author }} {{ .Config.Labels }}', byBerth.stdout.trim())).stdout).toBe('someone map[version:1.0]\n');
    const dangling = await berth('images', '-q', '-f', 'dangling=true');
    expect(dangling.stdout).toBe(`${byBerth.stdout.slice(0, 12)}\n`);
    expect((await berth('images', '-f', 'label=version=1.0', '-q')).stdout).toBe(`${byBerth.stdout.slice(0, 12)}\n`);
    expect((await docker('images', '-q', '--filter', 'dangling=true')).stdout).toBe(`${byBerth.stdout.slice(0, 12)}\n`);
    expect((await docker('images', '--format', '{{.Repository}}:{{.Tag}}', 'newcontainer')).stdout).toBe('newcontainer:latest\n');
    expect((await docker('history', '--format', '{{.Comment}}', 'newcontainer')).stdout).toBe('a message\nImported from -\n');
    expect(await docker('images', '-f', 'color=red')).toMatchObject({ code: 1, stderr: expect.stringContaining("invalid filter 'color'") });
    expect(await berth('rmi', byBerth.stdout.trim().slice(0, 12))).toMatchObject({ code: 0, stdout: `Deleted: sha256:${byBerth.stdout.trim()}\n` });
  });

  it('copies both ways with docker cp and berth cp, and a symlink to / never leads to the host', async () => {
    const host = join(d.dir, 'cp');
    mkdirSync(host);
    writeFileSync(join(host, 'in.txt'), 'from the host\n');
    expect((await docker('create', '--name', 'cpc', 'busybox', 'sh', '-c', 'ln -s / /escape; ln -s /etc /tmp/etc; echo in-container > /tmp/A.txt')).code).toBe(0);
    expect((await docker('start', '-a', 'cpc')).code).toBe(0);

    // Container → host, on a stopped container.
    expect(await docker('cp', 'cpc:/tmp/A.txt', join(host, 'a-by-docker.txt'))).toMatchObject({ code: 0 });
    expect(readFileSync(join(host, 'a-by-docker.txt'), 'utf8')).toBe('in-container\n');
    // The book's rules: HOSTDIR is a directory, made when missing; "A.txt" as destination is a directory too.
    expect(await berth('cp', 'cpc:/tmp/A.txt', join(host, 'Docker'))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(host, 'Docker/A.txt'), 'utf8')).toBe('in-container\n');
    expect((await berth('cp', 'cpc:/tmp/A.txt', join(host, 'docker2/A.txt'))).code).toBe(0);
    expect(readFileSync(join(host, 'docker2/A.txt/A.txt'), 'utf8')).toBe('in-container\n');
    const tar = await berth('cp', 'cpc:/tmp/A.txt', '-');
    writeFileSync(join(host, 'a.tar'), tar.stdout);
    expect(tarNames(join(host, 'a.tar'))).toEqual(['A.txt']);

    // Host → container, through the symlink to / : it lands in the container's /tmp.
    const marker = `berth-cp-escape-${process.pid}`;
    expect(await docker('cp', join(host, 'in.txt'), `cpc:/escape/tmp/${marker}`)).toMatchObject({ code: 0 });
    expect(await berth('cp', join(host, 'in.txt'), `cpc:/escape/tmp/${marker}-b`)).toMatchObject({ code: 0 });
    expect(await berth('cp', join(host, 'in.txt'), 'cpc:/tmp/etc/')).toMatchObject({ code: 0 });
    expect(existsSync(`/tmp/${marker}`) || existsSync(`/tmp/${marker}-b`) || existsSync('/etc/in.txt')).toBe(false);
    const back = join(host, 'back');
    expect((await docker('cp', `cpc:/tmp/${marker}`, back)).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe('from the host\n');
    expect((await berth('cp', 'cpc:/etc/in.txt', join(host, 'etcdir'))).code).toBe(0);
    expect(readFileSync(join(host, 'etcdir/in.txt'), 'utf8')).toBe('from the host\n');
    // A tar on stdin into a directory.
    execFileSync('tar', ['-cf', join(host, 'up.tar'), '-C', host, 'in.txt']);
    expect((await d.berthWith({ input: readFileSync(join(host, 'up.tar')) }, 'cp', '-', 'cpc:/escape/root')).code).toBe(0);
    expect((await berth('cp', 'cpc:/root/in.txt', join(host, 'root'))).code).toBe(0);
    expect(existsSync(join(host, 'root/in.txt'))).toBe(true);
    expect(await docker('cp', 'cpc:/nope', host)).toMatchObject({ code: 1, stderr: expect.stringContaining('Could not find the file /nope in container cpc') });

    // Directories both ways, and a directory's contents with /.
    expect((await docker('cp', 'cpc:/etc', join(host, 'etccopy'))).code).toBe(0);
    expect(readFileSync(join(host, 'etccopy/passwd'), 'utf8')).toMatch(/^root:x:0:0/);
    mkdirSync(join(host, 'dir/sub'), { recursive: true });
    writeFileSync(join(host, 'dir/sub/f'), 'f\n');
    expect((await docker('cp', join(host, 'dir'), 'cpc:/tmp/')).code).toBe(0);
    expect((await docker('cp', 'cpc:/tmp/dir/.', join(host, 'contents'))).code).toBe(0);
    expect(readFileSync(join(host, 'contents/sub/f'), 'utf8')).toBe('f\n');

    // export: the whole filesystem, with what cp put there.
    expect((await docker('export', '-o', join(host, 'export.tar'), 'cpc')).code).toBe(0);
    expect(tarNames(join(host, 'export.tar'))).toEqual(expect.arrayContaining(['bin/', 'escape', `tmp/${marker}`, 'tmp/A.txt']));
    expect((await berth('export', '-o', join(host, 'export2.tar'), 'cpc')).code).toBe(0);
    expect(readFileSync(join(host, 'export2.tar')).length).toBeGreaterThan(512);
    rmSync(host, { recursive: true, force: true });
  });

  it('saves to a file and loads it back; tags, and removes images in use only when allowed', async () => {
    const archive = join(d.dir, 'save.tar');
    expect(await docker('tag', 'busybox', 'newbusybox')).toMatchObject({ code: 0 });
    expect(await docker('save', '-o', archive, 'newbusybox')).toMatchObject({ code: 0, stderr: '' });
    const names = tarNames(archive);
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'repositories']));
    const id = (await docker('inspect', '-f', '{{ .Id }}', 'newbusybox')).stdout.trim();

    // The book's tag conflict without -f (the berth CLI asks for it), then -f moves it.
    const conflict = await berth('tag', 'newcontainer', 'newbusybox');
    expect(conflict).toMatchObject({ code: 1, stderr: `Error response from daemon: Conflict: Tag latest is already set to image ${id.slice(7)}, if you want to replace it, please use -f option\n` });
    expect(await berth('tag', '-f', 'newcontainer', 'newbusybox')).toMatchObject({ code: 0 });
    expect((await docker('inspect', '-f', '{{ .Id }}', 'newbusybox')).stdout.trim()).not.toBe(id);

    // In use by a container: refused in Docker's words; not in use: Untagged lines.
    const inUse = await berth('rmi', 'busybox');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/^Error response from daemon: conflict: unable to remove repository reference "busybox" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}\n/);
    const rmi = await berth('rmi', 'newbusybox');
    expect(rmi).toMatchObject({ code: 0, stdout: 'Untagged: newbusybox:latest\n' });

    const loaded = await d.berthWith({ input: readFileSync(archive) }, 'load');
    expect(loaded).toEqual({ code: 0, stdout: 'Loaded image: newbusybox:latest\n', stderr: '' });
    expect((await docker('inspect', '-f', '{{ .Id }}', 'newbusybox')).stdout.trim()).toBe(id);
    expect(await docker('rmi', 'newbusybox')).toMatchObject({ code: 0, stdout: 'Untagged: newbusybox:latest\n' });
    expect(await docker('load', '-i', archive)).toMatchObject({ code: 0, stdout: 'Loaded image: newbusybox:latest\n' });
    // Docker 1.7's layout alone (no manifest.json): the tags come from `repositories`.
    const legacy = join(d.dir, 'legacy.tar');
    // (Python's tarfile: GNU tar --delete mishandles archives not padded to its 10 KiB records, as docker save's are not.)
    const strip = 'import sys, tarfile\nsrc = tarfile.open(sys.argv[1])\nwith tarfile.open(sys.argv[2], "w") as out:\n    for m in src.getmembers():\n        if m.name != "manifest.json": out.addfile(m, src.extractfile(m) if m.isfile() else None)\n';
    execFileSync('python3', ['-c', strip, archive, legacy]);
    expect(await berth('load', '-i', legacy)).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/Loaded image: newbusybox:latest\n$/) });
    const berthSave = join(d.dir, 'save2.tar');
    expect(await berth('save', '-o', berthSave, 'newbusybox', 'newcontainer')).toMatchObject({ code: 0 });
    expect(tarNames(berthSave)).toEqual(expect.arrayContaining(['manifest.json', 'repositories']));
    expect(JSON.parse(execFileSync('tar', ['-xOf', berthSave, 'repositories'], { encoding: 'utf8' }))).toEqual({
      newbusybox: { latest: expect.stringMatching(/^[0-9a-f]{64}$/) },
      newcontainer: { latest: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(readdirSync(d.dir).includes('save2.tar')).toBe(true);
  });

  it("follows the book's tag, images, load and rmi examples; imports from a URL", async () => {
    // docker tag busybox newbusybox: both names list the same image.
    const tagged = await berth('tag', 'busybox', 'tagged');
    expect(tagged).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await berth('tag', 'tagged', 'tagged:v1')).toMatchObject({ code: 0 });
    const rows = (await berth('images', 'tagged')).stdout.split('\n').slice(1, -1).map((r) => r.split(/ {3,}/).slice(0, 3));
    const bbId = (await berth('images', '-q', 'busybox')).stdout.trim();
    expect(rows).toEqual([
      ['tagged', 'latest', bbId],
      ['tagged', 'v1', bbId],
    ]);
    expect((await berth('images', '--no-trunc', 'tagged')).stdout).toMatch(/^REPOSITORY {10}TAG {17}IMAGE ID {66}CREATED .*\ntagged {14}latest {14}sha256:[0-9a-f]{64} {3}/);
    expect((await berth('images', '--digests', 'tagged')).stdout).toMatch(/^REPOSITORY {10}TAG {17}DIGEST {14}IMAGE ID {12}CREATED/);
    expect((await berth('inspect', '--type', 'image', '-f', '{{ .Comment }}', 'tagged:v1')).stdout).toBe('Imported from -\n');
    expect(await berth('rmi', 'tagged', 'tagged:v1')).toMatchObject({ code: 0, stdout: 'Untagged: tagged:latest\nUntagged: tagged:v1\n' });

    // docker load < busybox.tar.gz
    const gz = join(d.dir, 'bb.tar.gz');
    writeFileSync(gz, execFileSync('gzip', ['-c', await saveTo('busybox')]));
    const load = await d.berthWith({ input: readFileSync(gz) }, 'load');
    expect(load).toEqual({ code: 0, stdout: 'Loaded image: busybox:latest\n', stderr: '' });

    // docker import http://…: the daemon downloads the tar.
    const server = createServer((_req, res) => createReadStream(fixture).pipe(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const fromUrl = await docker('import', `http://127.0.0.1:${port}/busybox.tar`, 'fromurl');
      expect(fromUrl.code).toBe(0);
      expect((await docker('inspect', '-f', '{{ .Comment }}', 'fromurl')).stdout).toBe(`Imported from http://127.0.0.1:${port}/busybox.tar\n`);
    } finally {
      server.close();
    }
    // The same rootfs: the layer is shared, the image (another comment) is not.
    expect(await docker('rmi', 'fromurl')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Untagged: fromurl:latest\nDeleted: sha256:[0-9a-f]{64}\n$/) });
  });

  it('gets the busybox fixture image into the root in one step (load -i), ready to run', async () => {
    const loaded = await d.loadBusybox();
    expect(loaded).toMatchObject({ code: 0, stdout: expect.stringMatching(/Loaded image: busybox:latest\n$/) });
    expect((await docker('inspect', '-f', '{{ .Config.Cmd }}', 'busybox')).stdout).toBe('[sh]\n');
    expect(await docker('run', '--rm', 'busybox')).toMatchObject({ code: 0 });
    expect(await docker('run', '--rm', 'busybox', 'echo', 'hi')).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
  });

  async function saveTo(name: string): Promise<string> {
    const file = join(d.dir, `${name}.tar`);
    expect((await berth('save', '-o', file, name)).code).toBe(0);
    return file;
  }
});
