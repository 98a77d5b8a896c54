// dockerode against a real engine: import from a stream with changes, diff, commit with a
// message and changes, archive PUT/GET (never out through a symlink to /), save then load,
// tag, history, and rmi of an image in use (refused) and not in use.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineServer } from '../test-support/engine-server.js';

describe.skipIf(process.getuid?.() !== 0)('images and container filesystems through dockerode', { timeout: 60_000 }, () => {
  let es: EngineServer;
  let docker: Docker;
  let work: string;

  beforeAll(async () => {
    es = await EngineServer.start();
    docker = new Docker({ socketPath: es.sock });
    work = mkdtempSync('/tmp/bdw-');
  });

  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    expect(await es.close()).toEqual({ mounts: [], cgroups: [] });
  });

  it('imports with changes, diffs, commits, copies in and out, saves, loads, tags and removes', async () => {
    const status = (await buffer(await docker.importImage(Readable.from(EngineServer.fixture()), { repo: 'bb', tag: 'latest', changes: ['ENV DEBUG true'] } as object))).toString();
    const id = (JSON.parse(status.trim()) as { status: string }).status;
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await docker.getImage('bb').inspect()).Config.Env).toEqual(['DEBUG=true']);

    const c = await docker.createContainer({ Image: 'bb', Cmd: ['sh', '-c', 'ln -s / /escape; echo x > /tmp/f'] });
    await c.start();
    await c.wait();
    expect(await c.changes()).toEqual([
      { Path: '/escape', Kind: 1 },
      { Path: '/tmp', Kind: 0 },
      { Path: '/tmp/f', Kind: 1 },
    ]);

    const committed = (await c.commit({ repo: 'committed', comment: 'a message', changes: ['CMD ["echo","hi"]'] } as object)) as { Id: string };
    const img = await docker.getImage('committed').inspect();
    expect(img).toMatchObject({ Id: committed.Id, Comment: 'a message', Parent: id, Config: { Cmd: ['echo', 'hi'], Env: ['DEBUG=true'] } });

    // In through the symlink to /: the file lands in the container's /tmp, not the host's.
    const name = `berth-dockerode-${process.pid}`;
    writeFileSync(join(work, name), 'from the host\n');
    const tar = execFileSync('tar', ['-cf', '-', '-C', work, name]);
    await c.putArchive(tar, { path: '/escape/tmp' });
    expect(existsSync(join('/tmp', name))).toBe(false);
    const out = await buffer(await c.getArchive({ path: `/tmp/${name}` }));
    writeFileSync(join(work, 'out.tar'), out);
    expect(execFileSync('tar', ['-xOf', join(work, 'out.tar'), name], { encoding: 'utf8' })).toBe('from the host\n');
    await expect(c.putArchive(tar, { path: '/nope' })).rejects.toMatchObject({ statusCode: 404 });

    // HEAD: the path's stat in X-Docker-Container-Path-Stat; a symlink's target resolved inside.
    const head = (await c.infoArchive({ path: '/escape' })) as IncomingMessage;
    head.resume();
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString()) as Record<string, unknown>;
    expect(stat).toMatchObject({ name: 'escape', linkTarget: '/', mode: 2 ** 27 + 0o777 });
    // The old copy endpoint: a tar of the resource.
    writeFileSync(join(work, 'copy.tar'), await buffer((await c.copy({ Resource: '/tmp/f' })) as NodeJS.ReadableStream));
    expect(execFileSync('tar', ['-tf', join(work, 'copy.tar')], { encoding: 'utf8' })).toBe('f\n');
    // A file named tmp may not replace the directory when the client asks for that rule.
    writeFileSync(join(work, 'tmp'), 'file');
    const clash = execFileSync('tar', ['-cf', '-', '-C', work, 'tmp']);
    await expect(c.putArchive(clash, { path: '/', noOverwriteDirNonDir: '1' })).rejects.toMatchObject({ statusCode: 400, json: { message: 'cannot overwrite directory "tmp" with non-directory "tmp"' } });

    await docker.getImage('bb').tag({ repo: 'bb', tag: 'v1' });
    const history = (await docker.getImage('committed').history()) as Array<{ Id: string; Comment: string; Tags: string[] | null }>;
    expect(history.map((h) => [h.Id, h.Comment, h.Tags])).toEqual([
      [committed.Id, 'a message', ['committed:latest']],
      [id, 'Imported from -', ['bb:latest', 'bb:v1']],
    ]);

    const saved = join(work, 'saved.tar');
    writeFileSync(saved, await buffer(await docker.getImage('committed').get()));
    expect(execFileSync('tar', ['-tf', saved], { encoding: 'utf8' }).split('\n')).toEqual(expect.arrayContaining(['manifest.json', 'repositories']));

    // bb has a second tag, so untagging v1 works; the last tag of an image in use is refused.
    expect(await docker.getImage('bb:v1').remove()).toEqual([{ Untagged: 'bb:v1' }]);
    await expect(docker.getImage('bb').remove()).rejects.toMatchObject({ statusCode: 409, json: { message: expect.stringMatching(/^conflict: unable to remove repository reference "bb" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}$/) } });
    expect(await docker.getImage('committed').remove()).toEqual([{ Untagged: 'committed:latest' }, { Deleted: committed.Id }]);

    const loaded = (await buffer(await docker.loadImage(saved))).toString();
    expect(loaded).toBe('{"stream":"Loaded image: committed:latest\\n"}\n');
    expect((await docker.getImage('committed').inspect()).Id).toBe(committed.Id);
    expect(readFileSync(saved).length).toBeGreaterThan(1024);
  });
});
