import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountsUnder, unmountQuiet } from './drivers/mounts.js';
import { loadImages } from './load.js';
import { saveImages } from './save.js';
import { GraphStore } from './store.js';

const fixture = execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function entries(stream: Readable): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  stream.pipe(extract);
  for await (const e of extract) {
    out.set(e.header.name, await buffer(e));
  }
  return out;
}

async function tarOf(files: Map<string, Buffer>): Promise<Readable> {
  const pack = tar.pack();
  for (const [name, data] of files) pack.entry({ name, size: data.length }, data);
  pack.finalize();
  return Readable.from([await buffer(pack)]);
}

describe('save and load', () => {
  let dir: string;
  const graphs: GraphStore[] = [];
  const open = (name: string) => {
    const g = GraphStore.open({ root: join(dir, name), driver: 'overlay2' });
    graphs.push(g);
    return g;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-save-'));
  });
  afterEach(() => {
    for (const g of graphs.splice(0)) g.close();
    for (const m of mountsUnder(dir).reverse()) unmountQuiet(m);
    const left = mountsUnder(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  async function twoLayerImage(g: GraphStore) {
    const base = await g.importImage(createReadStream(fixture), { reference: 'busybox', created: new Date('2015-06-16T00:00:00Z') });
    g.layers.createRW('c', base.topLayer);
    const root = g.layers.mountRW('c');
    execFileSync('sh', ['-c', `echo hi > ${root}/hello && rm ${root}/etc/group`]);
    g.layers.unmountRW('c');
    const img = await g.commit('c', base.id, { config: { Cmd: ['cat', '/hello'] } });
    g.layers.removeRW('c');
    g.images.tag(img.id, 'app:1');
    return img;
  }

  it('writes the Docker and 1.7 layout and loads it back with the same image ID', async () => {
    const a = open('a');
    const img = await twoLayerImage(a);
    const files = await entries(saveImages(a.layers, [{ image: img, references: a.images.get(img.id).references }], 'docker'));
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.RepoTags).toEqual(['app:1']);
    expect(sha(files.get(manifest[0]!.Config)!)).toBe(img.id);
    const layerDiffs = manifest[0]!.Layers.map((l) => sha(files.get(l)!));
    expect(layerDiffs).toEqual(img.config.rootfs.diff_ids);
    const [v1base, v1top] = manifest[0]!.Layers.map((l) => l.slice(0, 64));
    expect(JSON.parse(files.get('repositories')!.toString())).toEqual({ app: { '1': v1top } });
    expect(files.get(`${v1top}/VERSION`)!.toString()).toBe('1.0');
    const topJson = JSON.parse(files.get(`${v1top}/json`)!.toString()) as Record<string, unknown>;
    expect(topJson.id).toBe(v1top);
    expect(topJson.parent).toBe(v1base);
    expect(topJson.config).toEqual({ Cmd: ['cat', '/hello'] });

    const b = open('b');
    const loaded = await loadImages(b, await tarOf(files));
    expect(loaded.messages).toEqual(['Loaded image: app:1']);
    expect(b.images.resolve('app:1').id).toBe(img.id);
    const rootfs = b.layers.mountLayer(b.images.get(img.id).topLayer!);
    expect(readFileSync(join(rootfs, 'hello'), 'utf8')).toBe('hi\n');
    b.layers.putLayer(b.images.get(img.id).topLayer!);

    // Docker 1.7 reads only `repositories` and the layer directories.
    files.delete('manifest.json');
    const c = open('c');
    const legacy = await loadImages(c, await tarOf(files));
    expect(legacy.messages).toEqual(['Loaded image: app:1']);
    expect(c.images.resolve('app:1').config.rootfs.diff_ids).toEqual(img.config.rootfs.diff_ids);
    expect(c.images.resolve('app:1').config.config).toEqual({ Cmd: ['cat', '/hello'] });
  });

  it('writes and reads the OCI layout', async () => {
    const a = open('a');
    const img = await twoLayerImage(a);
    const files = await entries(saveImages(a.layers, [{ image: img, references: ['docker.io/library/app:1'] }], 'oci'));
    expect(JSON.parse(files.get('oci-layout')!.toString())).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
    expect(index.manifests[0]!.annotations).toEqual({ 'io.containerd.image.name': 'docker.io/library/app:1', 'org.opencontainers.image.ref.name': '1' });
    const manifestBlob = files.get(`blobs/sha256/${index.manifests[0]!.digest.slice(7)}`)!;
    expect(sha(manifestBlob)).toBe(index.manifests[0]!.digest);
    files.delete('manifest.json'); // read through index.json only
    const b = open('b');
    const loaded = await loadImages(b, await tarOf(files));
    expect(loaded.images.map((i) => i.id)).toEqual([img.id]);
    expect(b.images.resolve('app:1').id).toBe(img.id);
  });

  it("loads an archive in Docker's own layout with the same image ID", async () => {
    // What `docker save` (20.x-24.x) writes for a one-layer image: <v1id>/{VERSION,json,layer.tar}, <hex>.json, manifest.json, repositories.
    const layer = readFileSync(fixture);
    const diffId = sha(layer);
    const config = Buffer.from(
      `{"architecture":"amd64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"created":"2015-06-16T00:00:00Z","history":[{"created":"2015-06-16T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:busybox in / "}],"os":"linux","rootfs":{"type":"layers","diff_ids":["${diffId}"]}}`,
    );
    const v1 = 'a'.repeat(64);
    const files = new Map<string, Buffer>([
      [`${v1}/VERSION`, Buffer.from('1.0')],
      [`${v1}/json`, Buffer.from(`{"id":"${v1}","created":"2015-06-16T00:00:00Z","container_config":{"Cmd":null},"os":"linux"}`)],
      [`${v1}/layer.tar`, layer],
      [`${sha(config).slice(7)}.json`, config],
      ['manifest.json', Buffer.from(`[{"Config":"${sha(config).slice(7)}.json","RepoTags":["busybox:latest"],"Layers":["${v1}/layer.tar"]}]`)],
      ['repositories', Buffer.from(`{"busybox":{"latest":"${v1}"}}\n`)],
    ]);
    const b = open('b');
    const loaded = await loadImages(b, await tarOf(files));
    expect(loaded.images[0]?.id).toBe(sha(config));
    expect(b.images.resolve('busybox').id).toBe(sha(config));
    // A layer whose bytes do not match the config is refused.
    files.set(`${v1}/layer.tar`, await buffer(await tarOf(new Map([['other', Buffer.from('x')]]))));
    const c = open('c');
    await expect(loadImages(c, await tarOf(files))).rejects.toThrow(/invalid diffID for layer 0/);
  });
});
