import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addon, monitorPath } from './native.js';

describe('native build', () => {
  it('loads the addon and calls into it', () => {
    expect(addon().getpid()).toBe(process.pid);
  });

  it('builds the monitor executable', () => {
    expect(execFileSync(monitorPath(), ['--version'], { encoding: 'utf8' })).toMatch(/^berth-monitor \d+\.\d+\.\d+\n$/);
  });
});
