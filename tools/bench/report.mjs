// Writes BENCHMARKS.md: one table per figure with berth, each peer, and the ratio to berth.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

function machine() {
  const os = (() => {
    try {
      return execFileSync('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"'], { encoding: 'utf8' }).trim();
    } catch {
      return 'Linux';
    }
  })();
  return `${os}, kernel ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

const fmt = (v, unit) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${unit}` : 'n/a');

/**
 * figures: [{ title, unit, lowerIsBetter, note?, rows: [{ subject, value, runs?, berth?: true }] }]
 * The ratio column is value / berth's value (for the figure's first berth row). `findings`
 * (markdown written by hand: what was profiled and fixed) goes after the tables.
 */
export function renderReport({ figures, command, skipped, findings }) {
  const lines = [
    '# Benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`,
    `Reproduce: \`${command}\` (as root; \`npm run bench -- --with-peers\` installs dockerd and podman from Debian to compare).`,
    'Each figure is the median of the runs shown; subjects were run alternately in one session.',
    `Load average when written: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (1, 5, 15 min) on ${cpus().length} cores.`,
    '',
  ];
  if (skipped.length) lines.push(`Not measured this time: ${skipped.join('; ')}.`, '');
  for (const f of figures) {
    const base = f.rows.find((r) => r.berth)?.value;
    lines.push(`## ${f.title}`, '');
    if (f.note) lines.push(f.note, '');
    lines.push(`| subject | ${f.unit} | runs | × berth |`, '|---|---:|---:|---:|');
    for (const r of f.rows) {
      const ratio = base && Number.isFinite(r.value) ? (r.value / base).toFixed(2) : '';
      lines.push(`| ${r.subject} | ${fmt(r.value, f.unit)} | ${r.runs ?? ''} | ${ratio} |`);
    }
    lines.push('');
  }
  if (findings) lines.push(findings.trim(), '');
  return lines.join('\n');
}
