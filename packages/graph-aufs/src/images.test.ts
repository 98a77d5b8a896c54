import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountsUnder } from './drivers/mounts.js';
import { GraphStore } from './store.js';
import { removeGraph } from './test-support/graph.js';

const fixture = execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();

describe('image store', () => {
  let root: string;
  let graph: GraphStore;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'berth-images-'));
    graph = GraphStore.open({ root, driver: 'overlay2' });
  });

  afterEach(() => {
    expect(removeGraph(graph, root)).toEqual([]);
  });

  it('imports, tags, resolves and refuses a retag without force', async () => {
    const img = await graph.importImage(createReadStream(fixture), { reference: 'busybox', config: { Cmd: ['sh'] } });
    expect(img.id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(img.references).toEqual(['docker.io/library/busybox:latest']);
    expect(graph.images.resolve('busybox').id).toBe(img.id);
    expect(graph.images.resolve('docker.io/library/busybox:latest').id).toBe(img.id);
    expect(graph.images.resolve(img.id.slice(7, 19)).id).toBe(img.id);
    expect(() => graph.images.resolve('nothere')).toThrow('No such image: nothere');
    expect(() => graph.images.tag(img.id, 'busybox:latest')).toThrow(
      `Conflict: Tag latest is already set to image ${img.id.slice(7)}, if you want to replace it, please use -f option`,
    );
    expect(() => graph.images.tag(img.id, 'scratch')).toThrow("'scratch' is a reserved name");
    graph.images.tag(img.id, 'localhost:5000/bb:v1');
    const [summary] = graph.images.list();
    expect(summary?.repoTags).toEqual(['busybox:latest', 'localhost:5000/bb:v1']);
    expect(summary?.size).toBe(summary?.virtualSize);
    expect(summary?.size).toBeGreaterThan(500_000);
  });

  it('commits a container made from no image (FROM scratch): a root image, found among the parentless', async () => {
    const imported = await graph.importImage(createReadStream(fixture));
    graph.layers.createRW('c0', null, { init: false });
    writeFileSync(join(graph.layers.mountRW('c0'), 'only'), 'x');
    graph.layers.unmountRW('c0');
    const img = await graph.commit('c0', null, { config: { Cmd: ['/only'] } });
    graph.layers.removeRW('c0');
    expect(img.parent).toBeNull();
    expect(img.config.rootfs.diff_ids).toHaveLength(1);
    expect(graph.images.children(null)).toEqual([imported.id, img.id].sort());
    expect(graph.images.children(img.id)).toEqual([]);
  });

  it('commits a container and deletes with untag, conflict and prune rules', async () => {
    const base = await graph.importImage(createReadStream(fixture), { reference: 'busybox' });
    graph.layers.createRW('c1', base.topLayer);
    const rootfs = graph.layers.mountRW('c1');
    writeFileSync(join(rootfs, 'hello'), 'hi\n');
    graph.layers.unmountRW('c1');
    const names: string[] = [];
    const extract = tar.extract();
    graph.exportRW('c1').pipe(extract);
    for await (const e of extract) {
      names.push(e.header.name);
      e.resume();
    }
    expect(names).toEqual(expect.arrayContaining(['hello', 'bin/busybox', '.dockerenv', 'etc/hostname']));
    expect(names.filter((n) => n.includes('.wh.'))).toEqual([]); // a flattened tree has no whiteouts
    expect(mountsUnder(root)).toEqual([]); // export released its mount
    const child = await graph.commit('c1', base.id, { config: { Cmd: ['cat', '/hello'] }, createdBy: '/bin/sh -c echo hi > /hello' });
    expect(child.parent).toBe(base.id);
    expect(child.config.rootfs.diff_ids).toHaveLength(2);
    expect(graph.images.history(child.id).map((i) => i.id)).toEqual([child.id, base.id]);
    const s = graph.images.summary(child);
    expect(s.size).toBe(3);
    expect(s.virtualSize).toBe(graph.images.summary(base).virtualSize + 3);

    graph.images.tag(child.id, 'app');
    graph.images.tag(child.id, 'app:2');
    const short = child.id.slice(7, 19);
    expect(() => graph.images.delete(short)).toThrow(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
    const baseShort = base.id.slice(7, 19);
    expect(() => graph.images.delete(base.id)).toThrow(`conflict: unable to delete ${baseShort} (cannot be forced) - image has dependent child images`);
    const usedBy = () => ({ container: 'c'.repeat(64), running: false });
    expect(() => graph.images.delete('app:2', { usedBy })).not.toThrow(); // other references remain
    expect(() => graph.images.delete('app', { usedBy })).toThrow(
      `conflict: unable to remove repository reference "app" (must force) - container cccccccccccc is using its referenced image ${short}`,
    );
    graph.layers.removeRW('c1');
    graph.images.untag('busybox');
    expect(graph.images.delete('app')).toEqual([{ Untagged: 'app:latest' }, { Deleted: child.id }, { Deleted: base.id }]);
    expect(graph.images.list()).toEqual([]);
    expect(graph.layers.list()).toEqual([]);
  });
});
