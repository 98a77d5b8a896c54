import { describe, expect, it } from 'vitest';
import { containerStatusText, type StatusFacts } from './status.js';

const now = 1_700_000_000_000;
const base: StatusFacts = {
  Running: false,
  Paused: false,
  Restarting: false,
  Dead: false,
  ExitCode: 0,
  StartedAt: 0,
  FinishedAt: 0,
};

describe('ps STATUS', () => {
  it('describes each state', () => {
    const up = { ...base, Running: true, StartedAt: now - 5 * 60_000 };
    expect(containerStatusText(up, now)).toBe('Up 5 minutes');
    expect(containerStatusText({ ...up, Paused: true }, now)).toBe('Up 5 minutes (Paused)');
    expect(containerStatusText({ ...up, Restarting: true, ExitCode: 1, FinishedAt: now - 2000 }, now)).toBe(
      'Restarting (1) 2 seconds ago',
    );
    expect(containerStatusText({ ...base, StartedAt: now - 10_000, FinishedAt: now - 3000 }, now)).toBe(
      'Exited (0) 3 seconds ago',
    );
    expect(containerStatusText({ ...base, ExitCode: 137, StartedAt: 1, FinishedAt: now - 3 * 3600_000 }, now)).toBe(
      'Exited (137) 3 hours ago',
    );
    expect(containerStatusText(base, now)).toBe('Created');
    expect(containerStatusText({ ...base, Dead: true, StartedAt: 1 }, now)).toBe('Dead');
    expect(containerStatusText({ ...base, RemovalInProgress: true }, now)).toBe('Removal In Progress');
    expect(containerStatusText({ ...up, StartedAt: now - 200 }, now)).toBe('Up Less than a second');
  });
});
