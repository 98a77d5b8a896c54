// Layer store figures (issue #5): mounting a 20-layer image and registering a 200 MB /
// 20,000-file layer, from graph-aufs's own bench scripts (run as child processes, lines parsed).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function script(repo, name, args) {
  return execFileSync(process.execPath, [join(repo, 'packages/graph-aufs/bench', name), ...args], { encoding: 'utf8' });
}

export async function run({ repo }) {
  const mountRows = [];
  for (const line of script(repo, 'mount.mjs', ['overlay2', 'aufs', 'vfs']).split('\n')) {
    const m = /^(\S+): .*mount\+unmount median ([\d.]+) ms .* over (\d+) runs/.exec(line);
    if (m) mountRows.push({ subject: `berth ${m[1]}${m[1] === 'aufs' ? ' (aufs layout, overlay mount)' : ''}`, value: Number(m[2]), runs: Number(m[3]), berth: m[1] === 'overlay2' });
  }
  const registerRows = [];
  for (const line of script(repo, 'register.mjs', ['overlay2']).split('\n')) {
    const m = /^register (\S+): .* in ([\d.]+) s/.exec(line);
    if (m) registerRows.push({ subject: `berth ${m[1]}`, value: Number(m[2]), runs: 1, berth: true });
  }
  return {
    figures: [
      { title: 'Mount + unmount the root filesystem of a container on a 20-layer image', unit: 'ms', rows: mountRows },
      { title: 'Register a 200 MB / 20,000-file layer (tar stream → layer, diffID computed)', unit: 's', note: 'Bound by the disk here: writing the same 20,000 files with writeFileSync alone takes most of it.', rows: registerRows },
    ],
  };
}
