// `docker build` of a small context (ENV, COPY of a directory, two RUNs, CMD) with the legacy
// builder (DOCKER_BUILDKIT=0): cold (`--no-cache`) and warm (every step a cache hit), through the
// docker CLI against berth and, with --with-peers, against dockerd. Same busybox fixture everywhere.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBerthd } from '../daemons.mjs';
import { installPeers, startDockerd } from '../peers.mjs';
import { alternate, medianRows, runnableSubjects } from '../stats.mjs';
import { buildRootfsTar } from '../../fixtures/busybox.mjs';

const IMAGE = 'berth-bench/busybox';
const DOCKER = '/usr/local/bin/docker';

function buildOk(host, dir, extra) {
  const r = spawnSync(DOCKER, ['-H', host, 'build', '-q', ...extra, dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  if (r.status !== 0) throw new Error(`docker build: exit ${r.status}: ${r.stderr}`);
}

/** The benchmark's context: a Dockerfile and 50 small files. */
function makeContext(dir) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'src', `f${i}.txt`), `file ${i}\n`.repeat(20));
  writeFileSync(
    join(dir, 'Dockerfile'),
    `FROM ${IMAGE}\nENV APP=/app\nWORKDIR /app\nCOPY src /app/src\nRUN ls /app/src | wc -l > /app/count\nRUN cat /app/src/* | wc -c > /app/bytes\nCMD ["cat", "/app/count"]\n`,
  );
}

export async function run({ repo, runs, withPeers }) {
  if (withPeers) installPeers();
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-build-'));
  const context = join(dir, 'context');
  makeContext(context);
  const rootfsTar = await buildRootfsTar();
  const engines = [];
  const skipped = [];
  try {
    const berthd = await startBerthd({ repo, dir });
    engines.push(berthd);
    const imported = spawnSync(DOCKER, ['-H', berthd.host, 'import', rootfsTar, IMAGE]);
    if (imported.status !== 0) throw new Error('import of the busybox fixture failed');
    const dockerd = await startDockerd({ dir, rootfsTar, image: IMAGE }).catch((e) => {
      skipped.push(`dockerd (${e.message.split('\n')[0]})`);
      return null;
    });
    if (dockerd) engines.push(dockerd);
    else if (!skipped.length) skipped.push('dockerd (not installed; use --with-peers)');

    const targets = [{ name: 'docker CLI → berth', host: berthd.host, berth: true }];
    if (dockerd) targets.push({ name: 'docker CLI → dockerd', host: dockerd.host });
    const subjects = [];
    for (const t of targets) {
      subjects.push({ name: `${t.name}, cold (--no-cache)`, kind: 'cold', berth: t.berth, run: async () => buildOk(t.host, context, ['--no-cache']) });
      subjects.push({ name: `${t.name}, warm (all cache hits)`, kind: 'warm', berth: t.berth, run: async () => buildOk(t.host, context, []) });
    }
    const runnable = await runnableSubjects(subjects, skipped);
    const times = await alternate(runnable, { runs: Math.min(runs, 10), warmup: 1 });
    const rows = (kind) => medianRows(runnable.filter((s) => s.kind === kind), times);
    return {
      skipped,
      figures: [
        {
          title: '`docker build` (legacy builder) of a 7-step Dockerfile, cold and warm',
          unit: 'ms',
          note: 'FROM, ENV, WORKDIR, COPY of 50 files, two RUNs, CMD. Cold: --no-cache, every step runs and commits; warm: every step a cache hit. From the CLI start to its exit.',
          rows: [...rows('cold'), ...rows('warm')],
        },
      ],
    };
  } catch (e) {
    return { skipped: [...skipped, `build figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    for (const e of engines.reverse()) await e.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
