import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { helperRss } from './daemons.mjs';

describe('helperRss', () => {
  it('sums the resident memory of the processes whose command line names the marker', async () => {
    const marker = `berth-bench-marker-${process.pid}-${Date.now()}`;
    expect(helperRss(marker)).toEqual({ mib: 0, count: 0 });
    const children = [0, 1].map(() => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', marker], { stdio: 'ignore' }));
    try {
      await new Promise((r) => setTimeout(r, 500));
      const { mib, count } = helperRss(marker);
      expect(count).toBe(2);
      expect(mib).toBeGreaterThan(10); // two Node processes
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
  });
});
