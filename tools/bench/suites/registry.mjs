// Registry throughput (issue #11): push and pull of a 200 MB image (busybox plus 50 files of
// 4 MB of random data, so gzip cannot shrink it) between berth engines and Debian's
// docker-registry on 127.0.0.1. Each push goes to a registry of its own (nothing to skip or
// mount); each pull goes into an empty root (nothing already there).
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../stats.mjs';

const FILES = 50;
const FILE_MB = 4;

export async function run({ repo, runs }) {
  const { Engine } = await import(pathToFileURL(join(repo, 'packages/engine-core/dist/index.js')).href);
  const { startRegistry } = await import(pathToFileURL(join(repo, 'packages/registry/dist/test-support/index.js')).href);
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-registry-'));
  const cgroupParent = `berth-bench-reg-${process.pid}`;
  const open = (name) => Engine.open({ root: join(dir, name), runDir: join(dir, `${name}-run`), cgroupParent });
  const n = Math.max(1, Math.min(runs, 3)); // each run moves 200 MB twice
  const pushSeconds = [];
  const pullSeconds = [];
  let bytes = 0;
  const source = open('source');
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    for (let i = 0; i < FILES; i++) execFileSync('sh', ['-c', `head -c ${FILE_MB << 20} /dev/urandom > ${join(data, `f${i}`)}`]);
    execFileSync('tar', ['-C', data, '-cf', join(dir, 'data.tar'), '.']);
    const image = await source.images.import(createReadStream(join(dir, 'data.tar')), { repo: 'bench/big', tag: 'v1' });
    bytes = source.images.inspect(image).Size;
    for (let i = 0; i < n; i++) {
      const registry = await startRegistry();
      try {
        const name = `${registry.host}/bench/big:v1`;
        source.images.tag(image, `${registry.host}/bench/big`, 'v1');
        let t = process.hrtime.bigint();
        await source.distribution.push(name);
        pushSeconds.push(Number(process.hrtime.bigint() - t) / 1e9);
        const target = open(`pull${i}`);
        try {
          t = process.hrtime.bigint();
          await target.distribution.pull(name);
          pullSeconds.push(Number(process.hrtime.bigint() - t) / 1e9);
        } finally {
          target.close();
        }
        source.images.remove(name);
      } finally {
        await registry.stop();
      }
    }
  } finally {
    source.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = bytes / 1e6;
  const row = (subject, secs) => ({ subject, value: Number((mb / median(secs)).toFixed(1)), runs: secs.length, berth: true });
  const note = 'Debian docker-registry on 127.0.0.1 (filesystem storage); throughput = uncompressed image size / median time.';
  return {
    figures: [
      {
        title: `Push a ${Math.round(mb)} MB image to a local registry`,
        unit: 'MB/s',
        note: `${note} Blob digests, upload of the stored gzip layers, config and schema2 manifest.`,
        rows: [row('berth push', pushSeconds)],
      },
      {
        title: `Pull a ${Math.round(mb)} MB image from a local registry into an empty root`,
        unit: 'MB/s',
        note: `${note} The blob streams into overlay2 as it downloads: blob digest, gunzip, diffID and unpack in one pass; the blob itself is kept as the layer's gzip copy.`,
        rows: [row('berth pull', pullSeconds)],
      },
    ],
  };
}
