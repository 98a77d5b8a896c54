// Layers under --userns-remap, as root on the real kernel: extracted with owners shifted into
// the range, given back (diff, export) with the original owners, so IDs do not change.
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphStore } from './store.js';
import { removeGraph } from './test-support/graph.js';

const fixture = execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
const idMap = { uids: [{ containerId: 0, hostId: 231072, size: 65536 }], gids: [{ containerId: 0, hostId: 331072, size: 65536 }] };
const asRoot = process.getuid?.() === 0;

/** Owners of a tar's entries by name. */
async function owners(stream: Readable): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, body, next) => {
      out.set(h.name.replace(/\/$/, ''), `${h.uid}:${h.gid}`);
      body.on('end', next);
      body.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return out;
}

/** Writes /made owned by `owner` (host IDs) with a fixed mtime into the container's layer, and commits it. */
async function commitChange(graph: GraphStore, rw: string, image: string, owner: string) {
  const file = join(graph.layers.mountRW(rw), 'made');
  try {
    writeFileSync(file, 'x');
    execFileSync('chown', [owner, file]);
    utimesSync(file, 1e9, 1e9);
  } finally {
    graph.layers.unmountRW(rw);
  }
  return graph.commit(rw, image);
}

describe.skipIf(!asRoot).each(['overlay2', 'vfs'])('a remapped graph on %s', (driver) => {
  let root: string;
  let graph: GraphStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-remap-'));
    graph = GraphStore.open({ root, driver, idMap });
  });

  afterEach(() => {
    expect(removeGraph(graph, root)).toEqual([]);
  });

  it('extracts shifted, commits and exports unshifted, and keeps the diffID', async () => {
    const imported = await graph.importImage(createReadStream(fixture));
    expect(imported.config.rootfs.diff_ids[0]).toBe(`sha256:${execFileSync('sha256sum', [fixture], { encoding: 'utf8' }).split(' ')[0]}`);
    graph.layers.createRW('c1', imported.topLayer);
    const rootfs = graph.layers.mountRW('c1');
    try {
      // image files, the layer's own root and the init layer's files belong to the remapped root
      for (const p of ['bin/busybox', '', 'etc/hosts', 'proc']) expect(lstatSync(join(rootfs, p))).toMatchObject({ uid: 231072, gid: 331072 });
    } finally {
      graph.layers.unmountRW('c1');
    }
    // a file the container's nobody (65534) writes
    const committed = await commitChange(graph, 'c1', imported.id, '296606:396606');
    expect((await owners(graph.layers.diffRW('c1'))).get('made')).toBe('65534:65534');
    expect((await owners(graph.exportRW('c1'))).get('bin/busybox')).toBe('0:0');

    // the committed layer extracts to the shifted owner again
    graph.layers.createRW('c2', committed.topLayer, { init: false });
    expect(lstatSync(join(graph.layers.mountRW('c2'), 'made'))).toMatchObject({ uid: 296606, gid: 396606 });
    graph.layers.unmountRW('c2');

    // the same change without remapping gives the same image layers (on overlay2: vfs copies
    // lose the init files' sub-millisecond mtimes, so its diffs carry them with this second's time)
    if (driver !== 'overlay2') return;
    const plainRoot = mkdtempSync(join(tmpdir(), 'berth-plain-'));
    const plain = GraphStore.open({ root: plainRoot, driver });
    try {
      const base = await plain.importImage(createReadStream(fixture));
      plain.layers.createRW('p1', base.topLayer);
      const same = await commitChange(plain, 'p1', base.id, '65534:65534');
      expect(same.config.rootfs.diff_ids).toEqual(committed.config.rootfs.diff_ids);
    } finally {
      expect(removeGraph(plain, plainRoot)).toEqual([]);
    }
  });

  it("refuses a layer entry outside the range with Docker's message", async () => {
    const pack = tar.pack();
    pack.entry({ name: 'far', size: 1, uid: 70000, gid: 0 }, Buffer.from('x'));
    pack.finalize();
    await expect(graph.layers.register(pack as unknown as Readable, null)).rejects.toThrow('Container ID 70000 cannot be mapped to a host ID');
  });
});
