// Integration tests as root: pull and push between engines on their own roots and a real
// distribution registry (Debian's docker-registry) on 127.0.0.1, with and without htpasswd auth.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { removeCgroupTree } from '@berth/libcontainer';
import { RegistryService, type JSONMessage } from '@berth/registry';
import { freePort, startRegistry, type RunningRegistry } from '@berth/registry/test-support';
import { Engine } from '../engine/engine.js';

const repoRoot = join(import.meta.dirname, '../../../..');
let fixture: string;
let registry: RunningRegistry;
let dir: string;
let cgroupParent: string;
const engines: Engine[] = [];

beforeAll(async () => {
  fixture = execFileSync('node', [join(repoRoot, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
  registry = await startRegistry();
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

beforeEach(() => {
  dir = mkdtempSync('/tmp/bd-');
  cgroupParent = `berth-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
});

afterEach(async () => {
  for (const e of engines.splice(0)) {
    for (const c of e.list({ all: true })) await e.remove(c.Id, { force: true }).catch(() => {});
    e.close();
  }
  const left = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(dir));
  for (const m of left.reverse()) execFileSync('umount', ['-l', m]);
  await removeCgroupTree(cgroupParent);
  rmSync(dir, { recursive: true, force: true });
  expect(left).toEqual([]);
});

function open(name: string): Engine {
  const e = Engine.open({ root: join(dir, name), runDir: join(dir, `${name}-run`), cgroupParent });
  engines.push(e);
  return e;
}

async function run(e: Engine, image: string, cmd: string[]): Promise<string> {
  const { Id } = e.createContainer({ Image: image, Cmd: cmd });
  const exit = e.wait(Id, 'next-exit');
  await e.start(Id);
  expect(await exit).toEqual({ StatusCode: 0 });
  let out = '';
  for await (const r of e.logs(Id, { stdout: true, stderr: true })) out += r.log;
  await e.remove(Id);
  return out;
}

/** busybox plus a committed layer: a two-layer image tagged `name`. */
async function twoLayerImage(e: Engine, name: string): Promise<string> {
  await e.images.import(createReadStream(fixture), { repo: 'busybox' });
  const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo pushed > /hello'] });
  const exit = e.wait(Id, 'next-exit');
  await e.start(Id);
  await exit;
  const [repo, tag] = name.split(/:(?=[^:/]+$)/) as [string, string];
  const id = await e.commit(Id, { repo, tag });
  await e.remove(Id);
  return id;
}

describe('EngineDistribution', () => {
  it('pushes a multi-layer image as schema 2 and pulls it by tag and by digest into a fresh root', async () => {
    const name = `${registry.host}/team/app:v1`;
    const a = open('a');
    const id = await twoLayerImage(a, name);
    const pushed: JSONMessage[] = [];
    await a.distribution.push(`${registry.host}/team/app`, { tag: 'v1', progress: (m) => pushed.push(m) });
    expect(pushed[0]).toEqual({ status: `The push refers to repository [${registry.host}/team/app]` });
    expect(pushed.filter((m) => m.status === 'Pushed')).toHaveLength(2);
    const final = pushed.find((m) => m.status?.startsWith('v1: digest: '));
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(final?.status ?? '')?.[1] as string;
    expect(digest).toBeDefined();
    expect(a.images.inspect(name).RepoDigests).toEqual([`${registry.host}/team/app@${digest}`]);

    const manifest = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const body = (await manifest.json()) as { schemaVersion: number; layers: unknown[]; config: { digest: string } };
    expect(body.schemaVersion).toBe(2);
    expect(body.layers).toHaveLength(2);
    expect(body.config.digest).toBe(id);

    // Pushing again: every blob is already there.
    const again: JSONMessage[] = [];
    await a.distribution.push(name, { progress: (m) => again.push(m) });
    expect(again.filter((m) => m.status === 'Layer already exists')).toHaveLength(2);

    expect(a.events.replay({ since: 0n }).filter((ev) => ev.type === 'image' && ev.action === 'push').map((ev) => [ev.actor.id, ev.actor.attributes])).toEqual([
      [name, { name }],
      [name, { name }],
    ]);

    const b = open('b');
    const pulled: JSONMessage[] = [];
    expect(await b.distribution.pull(`${registry.host}/team/app`, { tag: 'v1', progress: (m) => pulled.push(m) })).toBe(id);
    expect(pulled[0]).toEqual({ status: 'Pulling from team/app', id: 'v1' });
    expect(pulled.filter((m) => m.status === 'Pull complete')).toHaveLength(2);
    expect(pulled.at(-2)).toEqual({ status: `Digest: ${digest}` });
    expect(pulled.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${name}` });
    const inspect = b.images.inspect(name);
    expect(inspect.Id).toBe(id);
    expect(inspect.RepoDigests).toEqual([`${registry.host}/team/app@${digest}`]);
    expect(b.events.replay({ since: 0n }).filter((ev) => ev.action === 'pull').map((ev) => ev.actor.id)).toEqual([name]);
    expect(await run(b, name, ['cat', '/hello'])).toBe('pushed\n');

    const repeat: JSONMessage[] = [];
    await b.distribution.pull(name, { progress: (m) => repeat.push(m) });
    expect(repeat.at(-1)).toEqual({ status: `Status: Image is up to date for ${name}` });

    const c = open('c');
    const byDigest: JSONMessage[] = [];
    expect(await c.distribution.pull(`${registry.host}/team/app@${digest}`, { progress: (m) => byDigest.push(m) })).toBe(id);
    expect(byDigest[0]).toEqual({ status: 'Pulling from team/app', id: digest });
    expect(c.images.inspect(`${registry.host}/team/app@${digest}`).Id).toBe(id);
    expect(c.images.list().map((i) => i.RepoTags)).toEqual([[]]);

    // No tag: every tag of the repository, as `docker pull -a`.
    a.images.tag(name, `${registry.host}/team/app`, 'v2');
    const everyTag: JSONMessage[] = [];
    await a.distribution.push(`${registry.host}/team/app`, { progress: (m) => everyTag.push(m) });
    expect(everyTag.filter((m) => /^v\d: digest: /.test(m.status ?? '')).map((m) => m.status?.slice(0, 2))).toEqual(['v1', 'v2']);
    const d = open('d');
    const all: JSONMessage[] = [];
    expect(await d.distribution.pull(`${registry.host}/team/app`, { progress: (m) => all.push(m) })).toBe(id);
    expect(all.filter((m) => m.status === 'Pulling from team/app').map((m) => m.id)).toEqual(['v1', 'v2']);
    expect(d.images.inspect(id).RepoTags).toEqual([name, `${registry.host}/team/app:v2`]);

    // A push to another repository of the same registry mounts the blobs.
    const mounted: JSONMessage[] = [];
    b.images.tag(name, `${registry.host}/other/app`, 'v2');
    await b.distribution.push(`${registry.host}/other/app:v2`, { progress: (m) => mounted.push(m) });
    expect(mounted.filter((m) => m.status === 'Mounted from team/app')).toHaveLength(2);
  }, 180_000);

  it('keeps pulled blobs as they were: a push elsewhere sends the same layer digests, a save the same diffIDs', async () => {
    // Blobs gzipped at level 9, as no berth would compress them (its own copies are level 1).
    const name = `${registry.host}/team/roundtrip:v1`;
    const extra = join(dir, 'extra');
    execFileSync('mkdir', ['-p', extra]);
    writeFileSync(join(extra, 'hello'), 'round trip\n');
    const tars = [readFileSync(fixture), execFileSync('tar', ['-C', extra, '-cf', '-', 'hello'])];
    const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const blobs = tars.map((t) => gzipSync(t, { level: 9 }));
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: tars.map(sha) },
        history: [{ created: '2026-01-01T00:00:00Z' }, { created: '2026-01-02T00:00:00Z' }],
      }),
    );
    const id = sha(config);
    const service = new RegistryService();
    try {
      await service.push(name, {
        config,
        layers: blobs.map((blob, i) => ({ digest: sha(blob), size: blob.length, diffID: sha(tars[i]!), open: () => Readable.from([blob]) })),
      });
    } finally {
      await service.close();
    }
    const manifestOf = async (url: string, repo: string) =>
      (await (
        await fetch(`${url}/v2/${repo}/manifests/v1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } })
      ).json()) as { config: { digest: string }; layers: Array<{ digest: string; size: number }> };
    const original = await manifestOf(registry.url, 'team/roundtrip');
    expect(original.layers.map((l) => l.digest)).toEqual(blobs.map(sha));

    const b = open('b');
    expect(await b.distribution.pull(name)).toBe(id);
    const other = await startRegistry();
    try {
      b.images.tag(name, `${other.host}/team/copy`, 'v1');
      const pushed: JSONMessage[] = [];
      await b.distribution.push(`${other.host}/team/copy:v1`, { progress: (m) => pushed.push(m) });
      expect(pushed.filter((m) => m.status === 'Pushed')).toHaveLength(2);
      const copy = await manifestOf(other.url, 'team/copy');
      expect(copy.config.digest).toBe(id);
      expect(copy.layers).toEqual(original.layers.map((l) => expect.objectContaining({ digest: l.digest, size: l.size })));
    } finally {
      await other.stop();
    }

    const saved = join(dir, 'saved');
    execFileSync('mkdir', ['-p', saved]);
    const tarFile = join(dir, 'saved.tar');
    await pipeline(b.images.save([name]), createWriteStream(tarFile));
    execFileSync('tar', ['-C', saved, '-xf', tarFile]);
    const [entry] = JSON.parse(readFileSync(join(saved, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    const diffIds = entry!.Layers.map((l) => `sha256:${createHash('sha256').update(readFileSync(join(saved, l))).digest('hex')}`);
    expect(diffIds).toEqual(tars.map(sha));
    expect(b.images.inspect(name).RootFS.Layers).toEqual(tars.map(sha));
    expect(await run(b, name, ['cat', '/hello'])).toBe('round trip\n');
  }, 180_000);

  it("fails a missing tag with Docker's message, before any progress", async () => {
    const e = open('a');
    const progress: JSONMessage[] = [];
    await expect(e.distribution.pull(`${registry.host}/team/nothing:v9`, { progress: (m) => progress.push(m) })).rejects.toMatchObject({
      statusCode: 404,
      message: `manifest for ${registry.host}/team/nothing:v9 not found: manifest unknown: manifest unknown`,
    });
    expect(progress).toEqual([]);
    await expect(e.distribution.push(`${registry.host}/team/nothing:v9`)).rejects.toMatchObject({
      statusCode: 404,
      message: `An image does not exist locally with the tag: ${registry.host}/team/nothing:v9`,
    });
  });

  it('rejects a corrupted blob and keeps no partial image', async () => {
    const name = `${registry.host}/team/corrupt:v1`;
    const a = open('a');
    await twoLayerImage(a, name);
    await a.distribution.push(name);
    const manifest = (await (
      await fetch(`${registry.url}/v2/team/corrupt/manifests/v1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } })
    ).json()) as { layers: Array<{ digest: string }> };
    const b = open('b');
    // The top layer downloads beside the base one (to a spool file), the base one streams into
    // the graph: its first byte flipped, the unpacker gives up at once on what is no gzip.
    for (const [layer, at] of [
      [manifest.layers.at(-1), -10],
      [manifest.layers[0], 0],
    ] as const) {
      const hex = (layer as { digest: string }).digest.slice('sha256:'.length);
      const blob = join(registry.dir, 'data/docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
      const good = readFileSync(blob);
      const bytes = Buffer.from(good);
      const i = at < 0 ? bytes.length + at : at;
      bytes.writeUInt8(bytes.readUInt8(i) ^ 0xff, i);
      writeFileSync(blob, bytes);
      try {
        await expect(b.distribution.pull(name)).rejects.toThrow(`filesystem layer verification failed for digest sha256:${hex}`);
      } finally {
        writeFileSync(blob, good);
      }
      expect(b.images.list()).toEqual([]);
      expect(readdirSync(join(dir, 'b/tmp'))).toEqual([]);
      expect(b.graph.layers.list()).toEqual([]);
      expect(b.graph.driver.ids().filter((n) => n !== 'l')).toEqual([]);
      expect(readdirSync(join(dir, 'b/layerdata'))).toEqual([]);
    }
  }, 120_000);

  it('refuses a push without login to an auth registry, a wrong password, and takes the right one', async () => {
    const secured = await startRegistry({ name: 'alice', password: 's3cret' });
    try {
      const name = `${secured.host}/alice/app:v1`;
      const e = open('a');
      await twoLayerImage(e, name);
      await expect(e.distribution.push(name)).rejects.toMatchObject({ statusCode: 401, message: "unauthorized: authentication required" });
      await expect(e.distribution.login({ username: 'alice', password: 'wrong', serveraddress: secured.host })).rejects.toMatchObject({
        statusCode: 401,
        message: `login attempt to ${secured.url}/v2/ failed with status: 401 Unauthorized`,
      });
      const auth = { username: 'alice', password: 's3cret', serveraddress: secured.host };
      expect(await e.distribution.login(auth)).toEqual({ Status: 'Login Succeeded', IdentityToken: '' });
      await e.distribution.push(name, { auth });
      const b = open('b');
      await expect(b.distribution.pull(name)).rejects.toMatchObject({ statusCode: 404 });
      expect(await b.distribution.pull(name, { auth })).toBe(e.images.inspect(name).Id);
    } finally {
      await secured.stop();
    }
  }, 180_000);

  it('says plainly that the default registry is unreachable', async () => {
    const port = await freePort();
    const e = Engine.open({ root: join(dir, 'a'), runDir: join(dir, 'a-run'), cgroupParent, registry: { defaultRegistry: `127.0.0.1:${port}` } });
    engines.push(e);
    await expect(e.distribution.pull('busybox')).rejects.toMatchObject({
      statusCode: 500,
      message: `Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });

  it('pulls Docker Hub images from a registry mirror', async () => {
    const a = open('a');
    const id = await twoLayerImage(a, `${registry.host}/mirrored/app:v1`);
    await a.distribution.push(`${registry.host}/mirrored/app:v1`);
    const m = Engine.open({ root: join(dir, 'm'), runDir: join(dir, 'm-run'), cgroupParent, registry: { registryMirrors: [registry.url] } });
    engines.push(m);
    expect(await m.distribution.pull('mirrored/app:v1')).toBe(id);
    expect(m.images.inspect('mirrored/app:v1').RepoTags).toEqual(['mirrored/app:v1']);
    // Not on the mirror: Docker Hub is asked next (unreachable here, or the image is not there).
    await expect(m.distribution.pull('mirrored/none-here:v1')).rejects.toThrow(/registry-1\.docker\.io|pull access denied/);
  }, 120_000);

  it('searches a registry without a search API through its catalog', async () => {
    const e = open('a');
    await twoLayerImage(e, `${registry.host}/find/me:v1`);
    await e.distribution.push(`${registry.host}/find/me:v1`);
    const found = await e.distribution.search(`${registry.host}/find`);
    expect(found.map((r) => r.name)).toContain('find/me');
  }, 120_000);
});
