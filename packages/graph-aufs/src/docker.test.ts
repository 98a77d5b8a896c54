// Opt-in (BERTH_TEST_DOCKER=1): round trips through a real Docker engine (Debian's docker.io),
// run on its own data root, exec root and socket, with no iptables or bridge.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { getXattr, setXattr } from '@berth/libcontainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainIds } from './digest.js';
import { mountsUnder, unmountQuiet } from './drivers/mounts.js';
import { loadImages } from './load.js';
import { saveImages } from './save.js';
import { GraphStore } from './store.js';

const enabled = process.env.BERTH_TEST_DOCKER === '1' && existsSync('/usr/sbin/dockerd');

describe.skipIf(!enabled)('with a real Docker engine', () => {
  let dir: string;
  let dockerd: ChildProcess;
  let graph: GraphStore;
  const docker = (...args: string[]) => execFileSync('docker', ['-H', `unix://${dir}/docker.sock`, ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-docker-'));
    dockerd = spawn(
      '/usr/sbin/dockerd',
      ['--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/docker.pid`, '-H', `unix://${dir}/docker.sock`, '--iptables=false', '--ip-forward=false', '--bridge=none', '--storage-driver=vfs'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !existsSync(`${dir}/docker.sock`); i++) await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 50; i++) {
      try {
        docker('version');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    graph = GraphStore.open({ root: join(dir, 'berth'), driver: 'overlay2' });
  }, 60_000);

  afterAll(async () => {
    graph?.close();
    if (dockerd?.pid) {
      dockerd.kill('SIGTERM');
      await new Promise((r) => dockerd.once('exit', r));
    }
    for (const m of mountsUnder(dir).reverse()) unmountQuiet(m);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const fixture = () => execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();

  it('docker loads what berth saves, and berth loads what docker saves, with the same IDs', async () => {
    const img = await graph.importImage(createReadStream(fixture()), { reference: 'berthbox:1', config: { Cmd: ['sh'] } });
    const out = join(dir, 'saved.tar');
    await pipeline(saveImages(graph.layers, [{ image: img, references: graph.images.get(img.id).references }]), createWriteStream(out));
    expect(docker('load', '-i', out)).toContain('Loaded image: berthbox:1');
    expect(docker('image', 'inspect', '-f', '{{.Id}}', 'berthbox:1').trim()).toBe(img.id);

    docker('tag', 'berthbox:1', 'fromdocker:2');
    const back = join(dir, 'docker-saved.tar');
    docker('save', '-o', back, 'fromdocker:2');
    const other = GraphStore.open({ root: join(dir, 'berth2'), driver: 'vfs' });
    try {
      const loaded = await loadImages(other, createReadStream(back));
      expect(loaded.messages).toEqual(['Loaded image: fromdocker:2']);
      expect(other.images.resolve('fromdocker:2').id).toBe(img.id);
    } finally {
      other.close();
    }
  });

  it('docker unpacks the binary xattrs of a berth layer and saves them back unchanged', async () => {
    const img = await graph.importImage(createReadStream(fixture()), { reference: 'capbase:1', config: { Cmd: ['sh'] } });
    const binary = Buffer.from([0x00, 0xff, 0x80, 0x0a, 0x3d, 0x20]);
    graph.layers.createRW('capc', img.topLayer);
    const file = join(graph.layers.mountRW('capc'), 'bin/arping');
    let cap: Buffer | null;
    try {
      writeFileSync(file, 'arping');
      execFileSync('setcap', ['cap_net_raw+ep', file]);
      setXattr(file, 'user.raw', binary);
      cap = getXattr(file, 'security.capability');
    } finally {
      graph.layers.unmountRW('capc');
    }
    const committed = await graph.commit('capc', img.id);
    graph.layers.removeRW('capc');
    const out = join(dir, 'caps.tar');
    await pipeline(saveImages(graph.layers, [{ image: committed, references: ['docker.io/library/capbox:2'] }]), createWriteStream(out));
    expect(docker('load', '-i', out)).toContain('Loaded image: capbox:2');
    const unpacked = execFileSync('find', [join(dir, 'data/vfs/dir'), '-path', '*/bin/arping'], { encoding: 'utf8' }).trim().split('\n');
    expect(unpacked).toHaveLength(1);
    const [dockers] = unpacked as [string];
    expect([getXattr(dockers, 'security.capability'), getXattr(dockers, 'user.raw')]).toEqual([cap, binary]);

    const back = join(dir, 'caps-docker.tar');
    docker('save', '-o', back, 'capbox:2');
    const other = GraphStore.open({ root: join(dir, 'berth3'), driver: 'vfs' });
    try {
      await loadImages(other, createReadStream(back));
      const loaded = other.images.resolve('capbox:2');
      expect(loaded.id).toBe(committed.id);
      const top = chainIds(loaded.config.rootfs.diff_ids).at(-1) as string;
      const rootfs = other.layers.mountLayer(top);
      try {
        expect([getXattr(join(rootfs, 'bin/arping'), 'security.capability'), getXattr(join(rootfs, 'bin/arping'), 'user.raw')]).toEqual([cap, binary]);
      } finally {
        other.layers.putLayer(top);
      }
    } finally {
      other.close();
    }
  });
});
