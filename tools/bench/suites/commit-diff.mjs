// `diff` and `commit` of a container that wrote 10,000 files (issue #13 (5)), through the docker
// CLI against berth and dockerd, and podman's own CLI. Each engine gets one such container; every
// round diffs it and commits it to a new image (they go with the engine's root at the end).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER, IMAGE, startEngines } from '../engines.mjs';
import { alternate, medianRows, runnableSubjects } from '../stats.mjs';

const FILES = 10_000;
const WRITE_FILES = `mkdir /data && i=0 && while [ $i -lt ${FILES} ]; do echo $i > /data/f$i; i=$((i+1)); done`;
const CONTAINER = 'berth-bench-10k';

function ok(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** An engine's CLI as { name, cli(args) }: the docker CLI against a daemon, or podman. */
function clients({ berthd, dockerd, podman }) {
  const list = [{ name: 'docker CLI → berth', berth: true, cli: (args) => ok(DOCKER, ['-H', berthd.host, ...args]) }];
  if (dockerd) list.push({ name: 'docker CLI → dockerd', cli: (args) => ok(DOCKER, ['-H', dockerd.host, ...args]) });
  if (podman) list.push({ name: 'podman', cli: (args) => ok('podman', [...podman.base, ...args]), runArgs: podman.runArgs });
  return list;
}

export async function run({ repo, runs, withPeers }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-commit-'));
  let engines;
  const skipped = [];
  try {
    engines = await startEngines({ repo, dir, withPeers });
    skipped.push(...engines.skipped);
    const subjects = [];
    for (const c of clients(engines)) {
      try {
        c.cli(['run', '--name', CONTAINER, '--net', 'none', ...(c.runArgs ?? []), IMAGE, 'sh', '-c', WRITE_FILES]);
        const changes = c.cli(['diff', CONTAINER]).split('\n').filter(Boolean).length;
        if (changes < FILES) throw new Error(`diff lists ${changes} changes`);
      } catch (e) {
        skipped.push(`${c.name} (${e.message.split('\n')[0]})`);
        continue;
      }
      let n = 0;
      subjects.push({ name: `${c.name}: diff`, kind: 'diff', berth: c.berth, run: async () => c.cli(['diff', CONTAINER]) });
      subjects.push({
        name: `${c.name}: commit`,
        kind: 'commit',
        berth: c.berth,
        run: async () => c.cli(['commit', CONTAINER, `berth-bench/committed:${++n}`]),
      });
    }
    const runnable = await runnableSubjects(subjects, skipped);
    const times = await alternate(runnable, { runs: Math.min(runs, 10), warmup: 1 });
    const rows = (kind) => medianRows(runnable.filter((s) => s.kind === kind), times);
    return {
      skipped,
      figures: [
        {
          title: `\`diff\` and \`commit\` of a container that wrote ${FILES.toLocaleString('en')} files`,
          unit: 'ms',
          note: `The container ran \`sh -c '${WRITE_FILES}'\` and exited. diff: its changes listed (output discarded); commit: a new image of its ${FILES.toLocaleString('en')}-file layer. From the CLI start to its exit.`,
          rows: [...rows('diff'), ...rows('commit')],
        },
      ],
    };
  } catch (e) {
    return { skipped: [...skipped, `commit/diff figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await engines?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
