// Integration tests against a real distribution registry (Debian's docker-registry) on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSONMessage } from './progress.js';
import { MediaType } from './manifest.js';
import { RegistryError } from './errors.js';
import { RegistryService } from './service.js';
import { RegistryTransport } from './transport.js';
import { digestOf, freePort, gzipLayer, makeImage, MemoryStore, startRegistry, type RunningRegistry, type TestImage } from './test/fixtures.js';

const statuses = (msgs: JSONMessage[], id?: string): string[] =>
  msgs.filter((m) => id === undefined || m.id === id).map((m) => m.status ?? '');

describe('against a registry without auth', () => {
  let reg: RunningRegistry;
  let svc: RegistryService;
  let tmp: string;
  let image: TestImage;

  beforeAll(async () => {
    reg = await startRegistry();
    svc = new RegistryService();
    tmp = await mkdtemp(join(tmpdir(), 'berth-registry-pull-'));
    image = makeImage([
      gzipLayer({ 'etc/hostname': 'one\n' }),
      gzipLayer({ 'bin/tool': Buffer.alloc(300_000, 7) }),
      gzipLayer({ 'usr/share/doc': 'three\n' }),
      gzipLayer({ 'var/lib/x': 'four\n' }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await svc?.close();
    await reg?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('pushes an image: Preparing, Pushed, the digest line and aux', async () => {
    const msgs: JSONMessage[] = [];
    const res = await svc.push(`${reg.host}/team/app:v1`, image, { progress: (m) => msgs.push(m) });
    expect(msgs[0]).toEqual({ status: `The push refers to repository [${reg.host}/team/app]` });
    for (const l of image.layers) {
      const id = l.diffID.slice(7, 19);
      expect(statuses(msgs, id)[0]).toBe('Preparing');
      expect(statuses(msgs, id).at(-1)).toBe('Pushed');
    }
    expect(res.digest).toBe(digestOf(res.manifest));
    expect(msgs.find((m) => m.status?.startsWith('v1: digest:'))?.status).toBe(`v1: digest: ${res.digest} size: ${res.manifest.length}`);
    expect(msgs.at(-1)).toEqual({ progressDetail: {}, aux: { Tag: 'v1', Digest: res.digest, Size: res.manifest.length } });
    const stored = JSON.parse(Buffer.from(res.manifest).toString()) as { mediaType: string; layers: { digest: string }[] };
    expect(stored.mediaType).toBe(MediaType.schema2);
    expect(stored.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
  });

  it('uploads at most `concurrency` layers at once; the rest wait', async () => {
    const img = makeImage([gzipLayer({ w1: '1' }), gzipLayer({ w2: '2' }), gzipLayer({ w3: '3' })]);
    const msgs: JSONMessage[] = [];
    await svc.push(`${reg.host}/team/waiting:latest`, img, { concurrency: 1, progress: (m) => msgs.push(m) });
    // Top layer first, as Docker lists them; the two below it wait for the single slot.
    expect(msgs.filter((m) => m.status === 'Waiting').map((m) => m.id)).toEqual(
      [img.layers[1]!, img.layers[0]!].map((l) => l.diffID.slice(7, 19)),
    );
    expect(msgs.filter((m) => m.status === 'Pushed').map((m) => m.id)).toEqual(
      [...img.layers].reverse().map((l) => l.diffID.slice(7, 19)),
    );
  });

  it('pushes again: every layer already exists', async () => {
    const msgs: JSONMessage[] = [];
    await svc.push(`${reg.host}/team/app:v1`, image, { progress: (m) => msgs.push(m) });
    for (const l of image.layers) expect(statuses(msgs, l.diffID.slice(7, 19)).at(-1)).toBe('Layer already exists');
  });

  it('mounts blobs across repositories instead of uploading them', async () => {
    const msgs: JSONMessage[] = [];
    const layers = image.layers.map((l) => ({ ...l, mountFrom: ['team/app'] }));
    await svc.push(`${reg.host}/other/copy:latest`, { ...image, layers }, { progress: (m) => msgs.push(m) });
    for (const l of image.layers) expect(statuses(msgs, l.diffID.slice(7, 19)).at(-1)).toBe('Mounted from team/app');
  });

  it('uploads in chunks (POST, PATCH with Content-Range, PUT ?digest=)', async () => {
    const big = makeImage([gzipLayer({ 'data.bin': randomBytes(200_000) })]);
    const msgs: JSONMessage[] = [];
    await svc.push(`${reg.host}/team/chunked:latest`, big, { chunkSize: 16 * 1024, progress: (m) => msgs.push(m) });
    const id = big.layers[0]!.diffID.slice(7, 19);
    const pushing = msgs.filter((m) => m.id === id && m.status === 'Pushing');
    expect(pushing.length).toBeGreaterThan(1);
    const last = pushing.at(-1)!;
    expect(last.progressDetail).toEqual({ current: big.layers[0]!.size, total: big.layers[0]!.size });
    const store = new MemoryStore();
    await svc.pull(`${reg.host}/team/chunked`, { store, tmpDir: tmp });
    expect(store.layers.get(big.layers[0]!.digest)?.bytes.equals(big.layers[0]!.blob)).toBe(true);
  });

  it('pulls by tag with Docker progress, concurrency and verified bytes', async () => {
    const store = new MemoryStore();
    const msgs: JSONMessage[] = [];
    const pulled = await svc.pull(`${reg.host}/team/app:v1`, { store, tmpDir: tmp, concurrency: 2, progress: (m) => msgs.push(m) });
    expect(msgs[0]).toEqual({ status: 'Pulling from team/app', id: 'v1' });
    for (const l of image.layers) {
      const seq = statuses(msgs, l.digest.slice(7, 19));
      expect(seq[0]).toBe('Pulling fs layer');
      expect(seq).toContain('Downloading');
      expect(seq.indexOf('Verifying Checksum')).toBeLessThan(seq.indexOf('Download complete'));
      expect(seq.at(-1)).toBe('Pull complete');
      const stored = store.layers.get(l.digest);
      expect(stored?.bytes.equals(l.blob)).toBe(true);
      expect(stored?.layer.diffID).toBe(l.diffID);
    }
    // Two layers start, the other two wait for a free slot.
    expect(msgs.filter((m) => m.status === 'Waiting').length).toBe(2);
    expect(store.order).toEqual([0, 1, 2, 3]);
    expect(Buffer.from(pulled.config.bytes).equals(Buffer.from(image.config))).toBe(true);
    expect(pulled.config.digest).toBe(image.configDigest);
    expect(msgs.at(-2)).toEqual({ status: `Digest: ${pulled.manifest.digest}` });
    expect(msgs.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${reg.host}/team/app:v1` });
    const downloading = msgs.find((m) => m.status === 'Downloading' && m.id === image.layers[1]!.digest.slice(7, 19));
    expect(downloading?.progress).toMatch(/^\[=*>\s*\] +\d/);

    const again: JSONMessage[] = [];
    await svc.pull(`${reg.host}/team/app:v1`, { store, tmpDir: tmp, progress: (m) => again.push(m) });
    expect(again.filter((m) => m.id !== 'v1' && m.id !== undefined).every((m) => m.status === 'Already exists')).toBe(true);
    expect(again.at(-1)).toEqual({ status: `Status: Image is up to date for ${reg.host}/team/app:v1` });
  });

  it('streams a layer into the store while it downloads once the layers below it are stored', async () => {
    const msgs: JSONMessage[] = [];
    const started: number[] = [];
    class Watching extends MemoryStore {
      override async putLayer(...args: Parameters<MemoryStore['putLayer']>): Promise<string> {
        started[args[0].index] = msgs.length;
        return super.putLayer(...args);
      }
    }
    const store = new Watching();
    await svc.pull(`${reg.host}/team/app:v1`, { store, tmpDir: tmp, concurrency: 1, progress: (m) => msgs.push(m) });
    // One at a time: each download starts when the one below is stored, so each one streams.
    for (const [i, l] of image.layers.entries()) {
      const id = l.digest.slice(7, 19);
      const complete = msgs.findIndex((m) => m.id === id && m.status === 'Download complete');
      expect(started[i]).toBeLessThan(complete);
      expect(statuses(msgs, id)).not.toContain('Extracting');
    }
    expect(store.order).toEqual([0, 1, 2, 3]);

    // Layers already there count as stored: the first new one streams on top of them.
    const longer = makeImage([...image.layers, gzipLayer({ more: 'more\n' })]);
    await svc.push(`${reg.host}/team/longer:v1`, longer);
    msgs.length = 0;
    const pulled = await svc.pull(`${reg.host}/team/longer:v1`, { store, tmpDir: tmp, progress: (m) => msgs.push(m) });
    const top = longer.layers[4]!.digest.slice(7, 19);
    expect(started[4]).toBeLessThan(msgs.findIndex((m) => m.id === top && m.status === 'Download complete'));
    expect(pulled.layers.map((l) => l.diffID)).toEqual(longer.layers.map((l) => l.diffID));
  });

  it('pulls by digest', async () => {
    const store = new MemoryStore();
    const client = await svc.client(reg.host);
    const tagged = await client.getManifest('team/app', 'v1');
    const msgs: JSONMessage[] = [];
    const pulled = await svc.pull(`${reg.host}/team/app@${tagged.digest}`, { store, tmpDir: tmp, progress: (m) => msgs.push(m) });
    expect(msgs[0]).toEqual({ status: 'Pulling from team/app', id: tagged.digest });
    expect(pulled.manifest.digest).toBe(tagged.digest);
    expect(pulled.layers.map((l) => l.diffID)).toEqual(image.layers.map((l) => l.diffID));
    expect(msgs.at(-1)?.status).toBe(`Status: Downloaded newer image for ${reg.host}/team/app@${tagged.digest}`);
  });

  it('chooses the platform from a manifest list and from an OCI index', async () => {
    const arm = makeImage([gzipLayer({ arm: 'arm64\n' })], { architecture: 'arm64', variant: 'v8' });
    const amd = makeImage([gzipLayer({ amd: 'amd64\n' })]);
    const client = await svc.client(reg.host);
    const pushed = [];
    for (const img of [amd, arm]) pushed.push(await svc.push(`${reg.host}/multi/app:tmp`, img));
    for (const [mediaType, tag] of [
      [MediaType.manifestList, 'list'],
      [MediaType.ociIndex, 'oci'],
    ] as const) {
      const child = mediaType === MediaType.ociIndex ? MediaType.schema2 : MediaType.schema2;
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType,
          manifests: [
            { mediaType: child, digest: pushed[0]!.digest, size: pushed[0]!.size, platform: { os: 'linux', architecture: 'amd64' } },
            { mediaType: child, digest: pushed[1]!.digest, size: pushed[1]!.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          ],
        }),
      );
      const digest = await client.putManifest('multi/app', tag, index, mediaType);
      expect(digest).toBe(digestOf(index));
      const a = await svc.pull(`${reg.host}/multi/app:${tag}`, { store: new MemoryStore(), tmpDir: tmp, platform: { os: 'linux', architecture: 'arm64' } });
      expect(a.config.digest).toBe(arm.configDigest);
      expect(a.manifest.digest).toBe(digest);
      expect(a.imageManifest.digest).toBe(pushed[1]!.digest);
      const b = await svc.pull(`${reg.host}/multi/app:${tag}`, { store: new MemoryStore(), tmpDir: tmp, platform: { os: 'linux', architecture: 'amd64' } });
      expect(b.config.digest).toBe(amd.configDigest);
      await expect(
        svc.pull(`${reg.host}/multi/app:${tag}`, { store: new MemoryStore(), tmpDir: tmp, platform: { os: 'linux', architecture: 's390x' } }),
      ).rejects.toThrow('no matching manifest for linux/s390x in the manifest list entries');
    }
  });

  it('accepts any login where the registry asks for none, as Docker does', async () => {
    expect(await svc.login({ username: 'any', password: 'thing', serveraddress: `http://${reg.host}/v2/` })).toEqual({
      Status: 'Login Succeeded',
      IdentityToken: '',
    });
    await expect(svc.login({ serveraddress: reg.host })).rejects.toThrow('Error: Non-null Username Required');
    await expect(svc.login({ username: 'any', serveraddress: reg.host })).rejects.toThrow('Error: Password Required');
  });

  it('reports a missing tag as Docker does', async () => {
    await expect(svc.pull(`${reg.host}/team/app:nope`, { store: new MemoryStore(), tmpDir: tmp })).rejects.toThrow(
      `manifest for ${reg.host}/team/app:nope not found: manifest unknown: manifest unknown`,
    );
  });

  it('lists the catalog and tags, and searches by filtering the catalog', async () => {
    const client = await svc.client(reg.host);
    expect(await client.catalog(2)).toEqual(expect.arrayContaining(['team/app', 'other/copy', 'multi/app', 'team/chunked', 'team/waiting']));
    expect((await client.tags('team/app')).sort()).toEqual(['v1']);
    const found = await svc.search(`${reg.host}/app`);
    expect(found.map((r) => r.name).sort()).toEqual(['multi/app', 'team/app']);
    expect(found[0]).toEqual({ star_count: 0, is_official: false, name: expect.any(String), is_trusted: false, is_automated: false, description: '' });
    expect(await svc.search(`${reg.host}/zzz-none`)).toEqual([]);
  });
});

describe('against a registry with htpasswd basic auth', () => {
  let reg: RunningRegistry;
  let svc: RegistryService;
  let tmp: string;
  const user = { name: 'berth', password: 's3cret-pass' };

  beforeAll(async () => {
    reg = await startRegistry(user);
    svc = new RegistryService();
    tmp = await mkdtemp(join(tmpdir(), 'berth-registry-auth-'));
  }, 300_000);

  afterAll(async () => {
    await svc?.close();
    await reg?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('logs in with the right password', async () => {
    expect(await svc.login({ username: user.name, password: user.password, serveraddress: reg.host })).toEqual({
      Status: 'Login Succeeded',
      IdentityToken: '',
    });
  });

  it('refuses a wrong password with status 401', async () => {
    const err = await svc.login({ username: user.name, password: 'wrong', serveraddress: reg.host }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).message).toBe(`login attempt to ${reg.url}/v2/ failed with status: 401 Unauthorized`);
    expect((err as RegistryError).status).toBe(401);
  });

  it('pushes and pulls with credentials, and denies anonymous pulls', async () => {
    const img = makeImage([gzipLayer({ secret: 'data\n' })]);
    const auth = { username: user.name, password: user.password };
    await svc.push(`${reg.host}/private/app:latest`, img, { auth });
    const pulled = await svc.pull(`${reg.host}/private/app`, { auth, store: new MemoryStore(), tmpDir: tmp });
    expect(pulled.config.digest).toBe(img.configDigest);
    await expect(svc.pull(`${reg.host}/private/app`, { store: new MemoryStore(), tmpDir: tmp })).rejects.toThrow(
      `pull access denied for ${reg.host}/private/app, repository does not exist or may require 'docker login': unauthorized: authentication required`,
    );
  });
});

describe('an unreachable registry', () => {
  it('says so in Go net wording', async () => {
    const svc = new RegistryService();
    try {
      const port = await freePort();
      await expect(svc.pull(`127.0.0.1:${port}/x/y`, { store: new MemoryStore() })).rejects.toThrow(
        `Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
      );
      await expect(svc.pull('no-such-host.invalid/x/y', { store: new MemoryStore() })).rejects.toThrow(
        'Get "https://no-such-host.invalid/v2/": dial tcp: lookup no-such-host.invalid: no such host',
      );
    } finally {
      await svc.close();
    }
  });
});

describe('an insecure registry over https with a self-signed certificate', () => {
  let reg: RunningRegistry;
  let svc: RegistryService;
  let tmp: string;

  beforeAll(async () => {
    reg = await startRegistry(undefined, true);
    svc = new RegistryService();
    tmp = await mkdtemp(join(tmpdir(), 'berth-registry-tls-'));
  }, 300_000);

  afterAll(async () => {
    await svc?.close();
    await reg?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('is spoken to over https without verifying the certificate, as Docker does for insecure registries', async () => {
    const img = makeImage([gzipLayer({ tls: 'yes\n' })]);
    await svc.push(`${reg.host}/tls/app:latest`, img);
    const pulled = await svc.pull(`${reg.host}/tls/app`, { store: new MemoryStore(), tmpDir: tmp });
    expect(pulled.config.digest).toBe(img.configDigest);
    expect((await svc.client(reg.host)).transport.baseUrl).toBe(reg.url);
    expect(reg.url.startsWith('https://')).toBe(true);
  });

  it('is refused when the certificate must be verified', async () => {
    const strict = new RegistryService({ insecureRegistries: [] });
    try {
      const ep = await strict.endpoint(reg.host);
      expect(ep.secure).toBe(false);
      const t = new RegistryTransport({ ...ep, secure: true }, undefined);
      try {
        await expect(t.ping()).rejects.toThrow(
          `Get "${reg.url}/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
        );
      } finally {
        await t.close();
      }
    } finally {
      await strict.close();
    }
  });
});
