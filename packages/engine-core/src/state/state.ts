import type { ContainerState, ContainerStatus, ContainerWaitResponse, StatusFacts } from '@berth/api-types';
import {
  ConflictError,
  containerNotRunning,
  formatRFC3339Nano,
  millisFromNanos,
  NotModifiedError,
  parseRFC3339Nano,
} from '@berth/api-types';

/** How a container process ended. */
export interface ExitStatus {
  exitCode: number;
  oomKilled?: boolean;
  /** Why the exit happened, when the engine knows (a failed start). */
  error?: string;
}

/** The `condition` of `POST /containers/{id}/wait`. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

interface Waiter {
  condition: WaitCondition;
  resolve: (r: ContainerWaitResponse) => void;
}

/** The durable fields of a state, as stored. */
export interface StateRecord {
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/**
 * A container's state machine (Docker's `container.State`): created → running ⇄ paused,
 * running → restarting → running, running → exited, any → removing → (gone) or dead.
 * Each transition checks that it is allowed and throws Docker's error when it is not.
 * Instants are bigint nanoseconds; `null` is Go's zero time.
 */
export class State {
  running = false;
  paused = false;
  restarting = false;
  oomKilled = false;
  dead = false;
  removalInProgress = false;
  pid = 0;
  exitCode = 0;
  error = '';
  startedAt: bigint | null = null;
  finishedAt: bigint | null = null;
  private waiters: Waiter[] = [];

  constructor(private readonly id: string) {}

  /** Docker's `StateString`: the `Status` of inspect and the `State` of ps. */
  get status(): ContainerStatus {
    if (this.running) {
      if (this.paused) return 'paused';
      if (this.restarting) return 'restarting';
      return 'running';
    }
    if (this.removalInProgress) return 'removing';
    if (this.dead) return 'dead';
    if (this.startedAt === null) return 'created';
    return 'exited';
  }

  /** Refuses a start the way Docker does; a running container yields 304. */
  assertCanStart(): void {
    if (this.paused) throw new ConflictError('cannot start a paused container, try unpause instead');
    if (this.running) throw new NotModifiedError('Container is already started');
    if (this.removalInProgress || this.dead) {
      throw new ConflictError('container is marked for removal and cannot be started');
    }
  }

  /** The init process runs with host PID `pid`. */
  setRunning(pid: number, now: bigint): void {
    this.error = '';
    this.running = true;
    this.restarting = false;
    this.paused = false;
    this.exitCode = 0;
    this.oomKilled = false;
    this.pid = pid;
    this.startedAt = now;
  }

  /** The process exited and will not be restarted. */
  setStopped(exit: ExitStatus, now: bigint): void {
    this.running = false;
    this.paused = false;
    this.restarting = false;
    this.pid = 0;
    this.finishedAt = now;
    this.exitCode = exit.exitCode;
    this.oomKilled = exit.oomKilled ?? false;
    if (exit.error !== undefined) this.error = exit.error;
    this.notify('not-running');
    this.notify('next-exit');
  }

  /** The process exited and the restart policy will start it again after a delay. */
  setRestarting(exit: ExitStatus, now: bigint): void {
    // Docker keeps Running true while restarting so that ps shows it as alive.
    this.running = true;
    this.restarting = true;
    this.paused = false;
    this.pid = 0;
    this.finishedAt = now;
    this.exitCode = exit.exitCode;
    this.oomKilled = exit.oomKilled ?? false;
    this.notify('next-exit');
  }

  /** The start failed before the process ran; 128 unless a more precise code is known. */
  setStartFailed(message: string, now: bigint, exitCode = 128): void {
    this.setStopped({ exitCode, error: message }, now);
  }

  assertRunningFor(action: 'pause' | 'kill' | 'exec'): void {
    if (!this.running) throw containerNotRunning(this.id);
    if (action === 'pause') {
      if (this.paused) throw new ConflictError(`Container ${this.id} is already paused`);
      if (this.restarting) {
        throw new ConflictError(`Container ${this.id} is restarting, wait until the container is running`);
      }
    }
    if (action === 'exec') {
      if (this.paused) throw new ConflictError(`Container ${this.id} is paused, unpause the container before exec`);
      if (this.restarting) {
        throw new ConflictError(`Container ${this.id} is restarting, wait until the container is running`);
      }
    }
  }

  setPaused(): void {
    this.assertRunningFor('pause');
    this.paused = true;
  }

  setUnpaused(): void {
    if (!this.paused) throw new ConflictError(`Container ${this.id} is not paused`);
    this.paused = false;
  }

  /** Refuses a stop of a container that is not running with 304, as Docker does. */
  assertCanStop(): void {
    if (!this.running) throw new NotModifiedError('Container is already stopped');
  }

  /** Marks the start of a removal; a second concurrent removal is refused. */
  setRemovalInProgress(): void {
    if (this.removalInProgress) {
      throw new ConflictError(`removal of container ${this.id} is already in progress`);
    }
    this.removalInProgress = true;
  }

  resetRemovalInProgress(): void {
    this.removalInProgress = false;
  }

  /** The removal failed half-way: the container can only be removed again. */
  setDead(): void {
    this.dead = true;
  }

  /** The container is gone: releases every waiter. */
  setRemoved(): void {
    this.notify('removed');
    this.notify('not-running');
    this.notify('next-exit');
  }

  /**
   * Resolves when `condition` is met (Docker's wait API): `not-running` at once if the
   * container is not running, `next-exit` at the next exit, `removed` once removed.
   */
  wait(condition: WaitCondition = 'not-running'): Promise<ContainerWaitResponse> {
    if (condition === 'not-running' && !this.running) return Promise.resolve(this.waitResponse());
    return new Promise((resolve) => this.waiters.push({ condition, resolve }));
  }

  private notify(condition: WaitCondition): void {
    const response = this.waitResponse();
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.condition === condition) w.resolve(response);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private waitResponse(): ContainerWaitResponse {
    return this.error ? { StatusCode: this.exitCode, Error: { Message: this.error } } : { StatusCode: this.exitCode };
  }

  /** The `State` object of container inspect. */
  toJSON(): ContainerState {
    return {
      Status: this.status,
      Running: this.running,
      Paused: this.paused,
      Restarting: this.restarting,
      OOMKilled: this.oomKilled,
      Dead: this.dead,
      Pid: this.pid,
      ExitCode: this.exitCode,
      Error: this.error,
      StartedAt: formatRFC3339Nano(this.startedAt),
      FinishedAt: formatRFC3339Nano(this.finishedAt),
    };
  }

  /** What the ps STATUS text needs (see `containerStatusText` of api-types). */
  facts(): StatusFacts {
    return {
      Running: this.running,
      Paused: this.paused,
      Restarting: this.restarting,
      Dead: this.dead,
      RemovalInProgress: this.removalInProgress,
      ExitCode: this.exitCode,
      StartedAt: this.startedAt === null ? 0 : millisFromNanos(this.startedAt),
      FinishedAt: this.finishedAt === null ? 0 : millisFromNanos(this.finishedAt),
    };
  }

  /** The fields to persist (removal-in-progress is not durable, as in Docker). */
  toRecord(): StateRecord {
    const { Status: _status, Health: _health, ...record } = this.toJSON();
    return record;
  }

  static fromRecord(id: string, r: StateRecord): State {
    const s = new State(id);
    s.running = r.Running;
    s.paused = r.Paused;
    s.restarting = r.Restarting;
    s.oomKilled = r.OOMKilled;
    s.dead = r.Dead;
    s.pid = r.Pid;
    s.exitCode = r.ExitCode;
    s.error = r.Error;
    s.startedAt = zeroToNull(r.StartedAt);
    s.finishedAt = zeroToNull(r.FinishedAt);
    return s;
  }
}

function zeroToNull(t: string): bigint | null {
  const ns = parseRFC3339Nano(t);
  // Go's zero time (year 1) parses to a large negative value; anything before 1970 is "never".
  return ns === undefined || ns < 0n ? null : ns;
}
