#!/usr/bin/env node
// berth's main job without a daemon: the busybox fixture is imported as an image into a layer
// store, a container gets an overlay rootfs on it (with Docker's init layer) and runs in new
// namespaces and a cgroup. Everything it made is removed at the end.
//   node tools/demo.mjs [command...]     (default: a greeting that shows the isolation)
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphStore } from '@berth/graph-aufs';
import { Container } from '@berth/libcontainer';
import { buildRootfsTar } from './fixtures/busybox.mjs';

const args = process.argv.length > 2
  ? process.argv.slice(2)
  : ['sh', '-c', 'echo "hello from berth: pid $$ in $(hostname), root on $(grep " / " /proc/mounts | cut -d" " -f3), $(ls /bin | wc -l) commands in /bin"'];

const root = mkdtempSync(join(tmpdir(), 'berth-demo-'));
const id = `demo${process.pid}`;
let graph;
let container;
let code = 1;
try {
  graph = GraphStore.open({ root: join(root, 'graph') });
  const image = await graph.importImage(createReadStream(await buildRootfsTar()), { reference: 'busybox' });
  graph.layers.createRW(id, image.topLayer, { init: true });
  const rootfs = graph.layers.mountRW(id);
  container = await Container.create({
    id,
    stateDir: join(root, 'run', id),
    cgroupPath: `berth-${id}`,
    spec: {
      rootfs,
      args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOSTNAME=${id}`, 'HOME=/root'],
      hostname: id,
      log: { path: join(root, `${id}-json.log`) },
    },
  });
  const attached = await container.attach({ stdout: process.stdout, stderr: process.stderr });
  await container.start();
  const status = await container.wait();
  await attached.done;
  code = status.exitCode;
} catch (err) {
  console.error(`berth demo: ${err instanceof Error ? err.message : err}`);
} finally {
  if (container) await container.destroy().catch((e) => console.error(`berth demo: destroy: ${e.message}`));
  if (graph) {
    try {
      graph.layers.unmountRW(id);
    } catch {
      // not mounted: creation failed before the mount
    }
    graph.close();
  }
  rmSync(root, { recursive: true, force: true });
}
process.exit(code);
