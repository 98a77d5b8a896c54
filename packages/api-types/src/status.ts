import { humanDuration } from './units.js';

/** What the ps STATUS column needs of a container's state; times in ms since the epoch, 0 if never. */
export interface StatusFacts {
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  Dead: boolean;
  RemovalInProgress?: boolean;
  ExitCode: number;
  StartedAt: number;
  FinishedAt: number;
}

/**
 * The human status of `docker ps` (Docker's `State.String()`): `Up 5 minutes`,
 * `Up 5 minutes (Paused)`, `Restarting (1) 2 seconds ago`, `Exited (0) 3 seconds ago`,
 * `Created`, `Removal In Progress`, `Dead`.
 */
export function containerStatusText(s: StatusFacts, now: number = Date.now()): string {
  if (s.Running) {
    if (s.Paused) return `Up ${humanDuration(now - s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${humanDuration(now - s.FinishedAt)} ago`;
    return `Up ${humanDuration(now - s.StartedAt)}`;
  }
  if (s.RemovalInProgress) return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (s.StartedAt === 0) return 'Created';
  if (s.FinishedAt === 0) return '';
  return `Exited (${s.ExitCode}) ${humanDuration(now - s.FinishedAt)} ago`;
}
