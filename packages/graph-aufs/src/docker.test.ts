// Opt-in (BERTH_TEST_DOCKER=1): round trips through a real Docker engine (Debian's docker.io),
// run on its own data root, exec root and socket, with no iptables or bridge.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      ['--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/docker.pid`, '-H', `unix://${dir}/docker.sock`, '--iptables=false', '--bridge=none', '--storage-driver=vfs'],
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

  it('docker loads what berth saves, and berth loads what docker saves, with the same IDs', async () => {
    const fixture = execFileSync('node', [join(__dirname, '../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    const img = await graph.importImage(createReadStream(fixture), { reference: 'berthbox:1', config: { Cmd: ['sh'] } });
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
});
