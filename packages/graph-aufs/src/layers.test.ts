import { execFileSync } from 'node:child_process';
import { createReadStream, readdirSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db.js';
import { selectDriver } from './drivers/select.js';
import { mountsUnder, unmountQuiet } from './drivers/mounts.js';
import { LayerStore } from './layers.js';
import { formatChanges } from './archive/changes.js';

const fixture = execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();

/** A tar of one file, as GNU tar writes it. */
function tarOf(name: string, content: string): Buffer {
  const d = mkdtempSync(join(tmpdir(), 'berth-tarof-'));
  try {
    writeFileSync(join(d, name), content);
    return execFileSync('tar', ['-C', d, '-cf', '-', name]);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

describe.each(['overlay2', 'vfs', 'aufs'])('layer store on %s', (driverName) => {
  let root: string;
  let db: Db;
  let store: LayerStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-graph-'));
    db = openDb(join(root, 'berth.db'));
    store = new LayerStore(db, selectDriver(root, driverName), root);
  });

  afterEach(() => {
    store.driver.cleanup();
    for (const m of mountsUnder(root).reverse()) unmountQuiet(m);
    db.close();
    const left = mountsUnder(root);
    rmSync(root, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('registers the busybox rootfs with its sha256 as diffID', async () => {
    const layer = await store.register(createReadStream(fixture), null);
    const expected = `sha256:${execFileSync('sha256sum', [fixture], { encoding: 'utf8' }).split(' ')[0]}`;
    expect(layer.diffId).toBe(expected);
    expect(layer.chainId).toBe(expected);
    expect(layer.size).toBeGreaterThan(500_000);
    const rootfs = store.mountLayer(layer.chainId);
    expect(lstatSync(join(rootfs, 'bin/busybox')).isFile()).toBe(true);
    store.putLayer(layer.chainId);
  });

  it('keeps a gzip layer as it came, and compresses a plain one, as the layer\'s compressed copy', async () => {
    const blob = gzipSync(readFileSync(fixture), { level: 6 });
    const zipped = await store.register(Readable.from([blob]), null);
    expect(zipped.diffId).toBe(`sha256:${createHash('sha256').update(readFileSync(fixture)).digest('hex')}`);
    expect(readFileSync(store.compressedPath(zipped.chainId)).equals(blob)).toBe(true);
    expect(store.tarSize(zipped.chainId)).toBe(readFileSync(fixture).length);
    const plain = await store.register(createReadStream(fixture), null);
    expect(plain).toEqual(zipped);
    const small = tarOf('f', 'x');
    const other = await store.register(Readable.from([small]), zipped.chainId);
    expect(gunzipSync(readFileSync(store.compressedPath(other.chainId))).equals(small)).toBe(true);
    expect((await buffer(store.tarStream(zipped.chainId))).equals(readFileSync(fixture))).toBe(true);
    store.release(other.chainId);
    store.release(zipped.chainId);
    store.release(zipped.chainId);
    expect(store.list()).toEqual([]);
  });

  it('leaves nothing behind when a gzip layer breaks off in the middle', async () => {
    const blob = gzipSync(readFileSync(fixture));
    async function* broken(): AsyncGenerator<Buffer> {
      yield blob.subarray(0, blob.length >> 1);
      throw new Error('connection reset');
    }
    await expect(store.register(Readable.from(broken()), null)).rejects.toThrow('connection reset');
    expect(store.list()).toEqual([]);
    expect(store.driver.ids().filter((n) => n !== 'l')).toEqual([]);
    expect(readdirSync(join(root, 'layerdata'))).toEqual([]);
  });

  it('leaves nothing behind when a layer tar is refused', async () => {
    const pack = tar.pack();
    pack.entry({ name: 'ok', size: 1 }, Buffer.from('x'));
    pack.entry({ name: '../escape', size: 1 }, Buffer.from('x'));
    pack.finalize();
    await expect(store.register(pack as unknown as Readable, null)).rejects.toThrow('"../escape" is outside of');
    expect(store.list()).toEqual([]);
    expect(store.driver.ids().filter((n) => n !== 'l')).toEqual([]);
    expect(readdirSync(join(root, 'layerdata'))).toEqual([]);
  });

  it('round-trips a container diff with adds, changes, deletes and an opaque dir', async () => {
    const base = await store.register(createReadStream(fixture), null);
    store.createRW('c1', base.chainId);
    const rootfs = store.mountRW('c1');
    writeFileSync(join(rootfs, 'etc/added.txt'), 'new\n');
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    unlinkSync(join(rootfs, 'etc/group'));
    rmSync(join(rootfs, 'usr/sbin'), { recursive: true });
    mkdirSync(join(rootfs, 'usr/sbin'));
    writeFileSync(join(rootfs, 'usr/sbin/only'), 'x');
    const changes = formatChanges(store.changesRW('c1'));
    expect(changes).toContain('A /etc/added.txt\n');
    expect(changes).toContain('C /etc/passwd\n');
    expect(changes).toContain('D /etc/group\n');
    expect(changes).toContain('C /etc\n');
    // Apply the diff onto the same base as a new layer and compare trees.
    const top = await store.register(Readable.from([await buffer(store.diffRW('c1'))]), base.chainId);
    const applied = store.mountLayer(top.chainId);
    const list = (dir: string) => execFileSync('sh', ['-c', `cd ${dir} && find . -path ./etc/hostname -prune -o -path ./.dockerenv -prune -o -print | sort`], { encoding: 'utf8' });
    const expectedTree = list(rootfs).split('\n').filter((l) => !/^\.\/(etc\/(hosts|hostname|resolv\.conf|mtab)|dev\/console|dev\/pts|dev\/shm|proc|sys|dev)$/.test(l));
    const gotTree = list(applied).split('\n').filter((l) => !/^\.\/(etc\/(hosts|hostname|resolv\.conf|mtab)|dev\/console|dev\/pts|dev\/shm|proc|sys|dev)$/.test(l));
    expect(gotTree).toEqual(expectedTree);
    expect(readFileSync(join(applied, 'etc/passwd'), 'utf8')).toBe('root:x:0:0:root:/root:/bin/sh\n');
    expect(existsSync(join(applied, 'etc/group'))).toBe(false);
    expect(readFileSync(join(applied, 'usr/sbin/only'), 'utf8')).toBe('x');
    store.putLayer(top.chainId);
    store.unmountRW('c1');
    store.removeRW('c1');
    store.release(top.chainId);
    store.release(base.chainId);
    expect(store.list()).toEqual([]);
  });
});
