// Token auth, corrupt and flaky blobs, redirects, digest headers and v1 search, against a small
// registry of our own on 127.0.0.1 (distribution's token auth needs a signing PKI, so the Bearer
// flow is exercised here rather than against docker-registry).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DigestMismatchError, RegistryError } from './errors.js';
import { MediaType } from './manifest.js';
import type { JSONMessage } from './progress.js';
import { buildManifest } from './push.js';
import { RegistryService } from './service.js';
import { digestOf, gzipLayer, makeImage, MemoryStore, signSchema1, type TestImage } from './test/fixtures.js';
import { fakeCredentials, startFakeRegistry, type FakeRegistry } from './test/fake-registry.js';

describe('a Bearer-token registry with faults', () => {
  let fake: FakeRegistry;
  let svc: RegistryService;
  let tmp: string;
  let image: TestImage;
  let manifestDigest: string;

  beforeEach(async () => {
    fake = await startFakeRegistry();
    svc = new RegistryService();
    tmp = await mkdtemp(join(tmpdir(), 'berth-registry-faults-'));
    image = makeImage([gzipLayer({ a: 'first\n' }), gzipLayer({ b: 'second\n' })]);
    const manifest = Buffer.from(buildManifest(image, image.configDigest));
    manifestDigest = digestOf(manifest);
    fake.manifests.set('lib/img:latest', { bytes: manifest, mediaType: MediaType.schema2, digestHeader: manifestDigest });
    fake.blobs.set(image.configDigest, Buffer.from(image.config));
    for (const l of image.layers) fake.blobs.set(l.digest, l.blob);
  });

  afterEach(async () => {
    await svc?.close();
    await fake?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const fastRetry = { attempts: 5, stepMs: 2 };

  it('pulls anonymously with a pull-scoped token, reused until it expires', async () => {
    const pulled = await svc.pull(`${fake.host}/lib/img`, { store: new MemoryStore(), tmpDir: tmp });
    expect(pulled.manifest.digest).toBe(manifestDigest);
    await svc.pull(`${fake.host}/lib/img`, { store: new MemoryStore(), tmpDir: tmp });
    expect(fake.tokenRequests).toEqual([{ scopes: ['repository:lib/img:pull'], user: undefined }]);
  });

  it('sends credentials to the token service, and reports the ones it refuses', async () => {
    await svc.pull(`${fake.host}/lib/img`, { auth: fakeCredentials, store: new MemoryStore(), tmpDir: tmp });
    expect(fake.tokenRequests[0]?.user).toBe(fakeCredentials.username);
    expect(await svc.login({ ...fakeCredentials, serveraddress: fake.host })).toEqual({ Status: 'Login Succeeded', IdentityToken: '' });
    const err = await svc.login({ username: 'tok-user', password: 'bad', serveraddress: fake.host }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).message).toBe('unauthorized: incorrect username or password');
  });

  it('detects a corrupted blob and does not retry it', async () => {
    const bad = image.layers[1]!;
    fake.corrupt.add(bad.digest);
    const store = new MemoryStore();
    const err = await svc
      .pull(`${fake.host}/lib/img`, { store, tmpDir: tmp, retry: fastRetry })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toBe(`filesystem layer verification failed for digest ${bad.digest}`);
    expect(fake.log.filter((l) => l === `GET /v2/lib/img/blobs/${bad.digest}`)).toHaveLength(1);
    expect(store.layers.has(bad.digest)).toBe(false);
    expect(store.images).toHaveLength(0);
  });

  /** A store that gives up on a layer after its first bytes, as an unpacker refusing garbage. */
  class RefusingStore extends MemoryStore {
    override async putLayer(): Promise<string> {
      throw new Error('archive/tar: invalid tar header');
    }
  }

  it('reports a corrupt blob the store refused while it streamed in as a digest mismatch', async () => {
    const bad = image.layers[0]!;
    fake.corrupt.add(bad.digest);
    const store = new RefusingStore();
    const msgs: JSONMessage[] = [];
    const err = await svc.pull(`${fake.host}/lib/img`, { store, tmpDir: tmp, retry: fastRetry, progress: (m) => msgs.push(m) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toBe(`filesystem layer verification failed for digest ${bad.digest}`);
    expect(fake.log.filter((l) => l === `GET /v2/lib/img/blobs/${bad.digest}`)).toHaveLength(1);
    expect(msgs.filter((m) => m.status === 'Download complete' && m.id === bad.digest.slice(7, 19))).toEqual([]);
    expect(store.images).toHaveLength(0);
  });

  it("gives the store's refusal of an intact blob as it is, without retrying", async () => {
    const first = image.layers[0]!;
    const err = await svc.pull(`${fake.host}/lib/img`, { store: new RefusingStore(), tmpDir: tmp, retry: fastRetry }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('archive/tar: invalid tar header');
    expect(fake.log.filter((l) => l === `GET /v2/lib/img/blobs/${first.digest}`)).toHaveLength(1);
  });

  it('retries a blob that fails twice, counting down as Docker does', async () => {
    const flaky = image.layers[0]!;
    fake.flaky.set(flaky.digest, 2);
    const msgs: JSONMessage[] = [];
    const store = new MemoryStore();
    await svc.pull(`${fake.host}/lib/img`, { store, tmpDir: tmp, retry: fastRetry, progress: (m) => msgs.push(m) });
    expect(fake.log.filter((l) => l === `GET /v2/lib/img/blobs/${flaky.digest}`)).toHaveLength(3);
    const countdown = msgs.filter((m) => m.id === flaky.digest.slice(7, 19) && m.status?.startsWith('Retrying')).map((m) => m.status);
    expect(countdown[0]).toBe('Retrying in 5 seconds');
    expect(countdown).toContain('Retrying in 1 second');
    expect(countdown.filter((s) => s === 'Retrying in 10 seconds')).toHaveLength(1);
    expect(countdown).toHaveLength(15);
    expect(store.layers.get(flaky.digest)?.bytes.equals(flaky.blob)).toBe(true);
  });

  it('gives up after five attempts', async () => {
    fake.flaky.set(image.layers[0]!.digest, 10);
    await expect(svc.pull(`${fake.host}/lib/img`, { store: new MemoryStore(), tmpDir: tmp, retry: { attempts: 5, stepMs: 0 } })).rejects.toThrow(
      'error from registry: internal failure',
    );
    expect(fake.log.filter((l) => l === `GET /v2/lib/img/blobs/${image.layers[0]!.digest}`)).toHaveLength(5);
  });

  it('follows a blob redirect to another origin without sending the token there', async () => {
    const moved = image.layers[0]!;
    fake.redirected.add(moved.digest);
    const store = new MemoryStore();
    await svc.pull(`${fake.host}/lib/img`, { store, tmpDir: tmp });
    expect(store.layers.get(moved.digest)?.bytes.equals(moved.blob)).toBe(true);
    expect(fake.redirectAuth).toEqual([undefined]);
  });

  it('refuses a manifest whose Docker-Content-Digest does not match its bytes', async () => {
    const entry = fake.manifests.get('lib/img:latest')!;
    entry.digestHeader = `sha256:${'0'.repeat(64)}`;
    await expect(svc.pull(`${fake.host}/lib/img`, { store: new MemoryStore(), tmpDir: tmp })).rejects.toThrow(
      `manifest verification failed for digest sha256:${'0'.repeat(64)}`,
    );
  });

  it('uses the v1 search API where the registry has one', async () => {
    const result = { star_count: 3, is_official: false, name: 'lib/img', is_trusted: false, is_automated: true, description: 'an image' };
    fake.searchResults = [result];
    expect(await svc.search(`${fake.host}/img`)).toEqual([result]);
  });
});

describe('token scopes', () => {
  it('asks for the scope a 401 challenge names when the request did not know it', async () => {
    const fake = await startFakeRegistry();
    const svc = new RegistryService();
    try {
      const img = makeImage([gzipLayer({ s: 'scope\n' })]);
      fake.blobs.set(img.configDigest, Buffer.from(img.config));
      const client = await svc.client(fake.host);
      // A request sent with no scope at all: the registry's challenge names repository:lib/x:pull.
      const res = await client.transport.send({ path: `/v2/lib/x/blobs/${img.configDigest}` });
      expect(Buffer.from(await res.body.arrayBuffer()).equals(Buffer.from(img.config))).toBe(true);
      expect(fake.tokenRequests.map((t) => t.scopes)).toEqual([[], ['repository:lib/x:pull']]);
    } finally {
      await svc.close();
      await fake.close();
    }
  });
});

describe('a layer that is not valid gzip', () => {
  it('fails the pull with a decompression error once its digest checks out', async () => {
    const fake = await startFakeRegistry();
    const svc = new RegistryService();
    const tmp = await mkdtemp(join(tmpdir(), 'berth-registry-gzip-'));
    try {
      const broken = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(200_000, 0x55)]);
      const layer = { ...gzipLayer({ x: 'x' }), blob: broken, digest: digestOf(broken), size: broken.length };
      const img = makeImage([layer]);
      const manifest = Buffer.from(buildManifest(img, img.configDigest));
      fake.manifests.set('lib/bad:latest', { bytes: manifest, mediaType: MediaType.schema2 });
      fake.blobs.set(img.configDigest, Buffer.from(img.config));
      fake.blobs.set(layer.digest, broken);
      const store = new MemoryStore();
      await expect(svc.pull(`${fake.host}/lib/bad`, { store, tmpDir: tmp, retry: { attempts: 5, stepMs: 0 } })).rejects.toThrow(
        /^could not get decompression stream: /,
      );
      expect(store.layers.size).toBe(0);
      expect(fake.log.filter((l) => l === `GET /v2/lib/bad/blobs/${layer.digest}`)).toHaveLength(1);
    } finally {
      await svc.close();
      await fake.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('a schema1 image', () => {
  it('is pulled root first, without throwaway layers, with a config built from its history', async () => {
    const fake = await startFakeRegistry();
    const svc = new RegistryService();
    const tmp = await mkdtemp(join(tmpdir(), 'berth-registry-schema1-'));
    try {
      const [root, top] = [gzipLayer({ root: 'r\n' }), gzipLayer({ top: 't\n' })];
      const empty = gzipLayer({});
      for (const l of [root, top, empty]) fake.blobs.set(l.digest, l.blob);
      const compat = (o: object): { v1Compatibility: string } => ({ v1Compatibility: JSON.stringify(o) });
      const payload = JSON.stringify(
        {
          schemaVersion: 1,
          name: 'lib/old',
          tag: 'latest',
          architecture: 'amd64',
          fsLayers: [{ blobSum: empty.digest }, { blobSum: top.digest }, { blobSum: root.digest }],
          history: [
            compat({ id: 'c', parent: 'b', created: '2016-01-03T00:00:00Z', config: { Cmd: ['/run'] }, os: 'linux', throwaway: true }),
            compat({ id: 'b', parent: 'a', created: '2016-01-02T00:00:00Z' }),
            compat({ id: 'a', created: '2016-01-01T00:00:00Z' }),
          ],
        },
        null,
        3,
      );
      const doc = Buffer.from(signSchema1(payload));
      const digest = digestOf(Buffer.from(payload));
      fake.manifests.set('lib/old:latest', { bytes: doc, mediaType: MediaType.schema1Signed, digestHeader: digest });
      fake.manifests.set(`lib/old:${digest}`, { bytes: doc, mediaType: MediaType.schema1Signed, digestHeader: digest });
      for (const name of [`${fake.host}/lib/old`, `${fake.host}/lib/old@${digest}`]) {
        const store = new MemoryStore();
        const pulled = await svc.pull(name, { store, tmpDir: tmp });
        expect(pulled.manifest.digest).toBe(digest);
        expect(pulled.layers.map((l) => l.digest)).toEqual([root.digest, top.digest]);
        expect(pulled.layers.map((l) => l.diffID)).toEqual([root.diffID, top.diffID]);
        const config = JSON.parse(Buffer.from(pulled.config.bytes).toString()) as { config: unknown; rootfs: unknown; history: unknown[] };
        expect(config.config).toEqual({ Cmd: ['/run'] });
        expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [root.diffID, top.diffID] });
        expect(config.history).toHaveLength(3);
        expect(pulled.config.digest).toBe(digestOf(pulled.config.bytes));
        expect(store.layers.get(top.digest)?.bytes.equals(top.blob)).toBe(true);
      }
    } finally {
      await svc.close();
      await fake.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
