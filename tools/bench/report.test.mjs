import { describe, expect, it } from 'vitest';
import { renderReport } from './report.mjs';

describe('bench report', () => {
  it('gives ratios to berth, n/a for a figure a daemon cannot run, and the findings last', () => {
    const text = renderReport({
      command: 'npm run bench',
      skipped: ['podman (not installed; use --with-peers)'],
      findings: '## Findings\n\nwhat was fixed\n',
      figures: [
        { title: 'run', unit: 'ms', rows: [{ subject: 'berth', value: 100, runs: 5, berth: true }, { subject: 'dockerd', value: 250, runs: 5 }] },
        { title: 'bridge', unit: 'ms', rows: [{ subject: 'berth', value: NaN, berth: true }, { subject: 'dockerd', value: 300, runs: 5 }] },
      ],
    });
    expect(text).toContain('| berth | 100 ms | 5 | 1.00 |\n| dockerd | 250 ms | 5 | 2.50 |');
    expect(text).toContain('| berth | n/a |  |  |\n| dockerd | 300 ms | 5 |  |');
    expect(text).toContain('Not measured this time: podman (not installed; use --with-peers).');
    expect(text).toMatch(/Load average when written: [\d.]+, [\d.]+, [\d.]+/);
    expect(text.trimEnd().endsWith('## Findings\n\nwhat was fixed')).toBe(true);
  });
});
