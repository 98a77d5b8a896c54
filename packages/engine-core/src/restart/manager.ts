import type { RestartPolicy } from '@berth/api-types';

/** The first delay before a restart. */
export const RESTART_INITIAL_DELAY_MS = 100;
/** The delay never grows beyond this. */
export const RESTART_MAX_DELAY_MS = 60_000;
/** A run at least this long resets the delay to the initial one. */
export const RESTART_RESET_AFTER_MS = 10_000;

/** The timer functions the manager waits with; tests inject fake ones. */
export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The pending restart was cancelled (the container was stopped, killed or removed). */
export class RestartCanceledError extends Error {
  constructor() {
    super('restart canceled');
    this.name = 'RestartCanceledError';
  }
}

export type RestartDecision =
  | { restart: false }
  | {
      restart: true;
      /** How long the manager waits before the restart. */
      delayMs: number;
      /** Resolves when the delay is over; rejects with RestartCanceledError on cancel(). */
      ready: Promise<void>;
    };

/**
 * Decides whether an exited container restarts, and when (Docker's `restartmanager`):
 * `always` restarts; `unless-stopped` unless the user stopped it; `on-failure[:N]` on a
 * non-zero exit while fewer than N restarts happened (N = 0: no limit); `no` never. The delay
 * starts at 100 ms and doubles with each restart up to a minute, back to 100 ms after a run
 * of 10 s or more. One manager serves one container from one start until it is stopped.
 */
export class RestartManager {
  private delayMs = 0;
  private count: number;
  private active = false;
  private canceled = false;
  private pending: { handle: unknown; reject: (e: Error) => void } | undefined;

  constructor(
    private policy: RestartPolicy,
    restartCount = 0,
    private readonly timers: TimerApi = realTimers,
  ) {
    this.count = restartCount;
  }

  /** Restarts done so far (the container's `RestartCount`). */
  get restartCount(): number {
    return this.count;
  }

  /** `docker update --restart` changes the policy of a live manager. */
  setPolicy(policy: RestartPolicy): void {
    this.policy = policy;
  }

  /**
   * Called once per exit. `manuallyStopped` is true after `docker stop`/`kill` or during
   * daemon shutdown; `ranForMs` is how long the process ran.
   */
  shouldRestart(exitCode: number, manuallyStopped: boolean, ranForMs: number): RestartDecision {
    const name = this.policy.Name;
    if (name === 'no' || name === '') return { restart: false };
    if (this.canceled) throw new RestartCanceledError();
    if (this.active) throw new Error('invalid call on an active restart manager');

    if (ranForMs >= RESTART_RESET_AFTER_MS) this.delayMs = 0;
    this.delayMs =
      this.delayMs === 0 ? RESTART_INITIAL_DELAY_MS : Math.min(this.delayMs * 2, RESTART_MAX_DELAY_MS);

    let restart = false;
    if (name === 'always') restart = true;
    else if (name === 'unless-stopped') restart = !manuallyStopped;
    else if (name === 'on-failure') {
      const max = this.policy.MaximumRetryCount;
      restart = exitCode !== 0 && (max === 0 || this.count < max);
    }
    if (!restart) return { restart: false };

    this.count++;
    this.active = true;
    const delayMs = this.delayMs;
    const ready = new Promise<void>((resolve, reject) => {
      const handle = this.timers.setTimeout(() => {
        this.pending = undefined;
        this.active = false;
        resolve();
      }, delayMs);
      this.pending = { handle, reject };
    });
    return { restart: true, delayMs, ready };
  }

  /** Stops any pending and future restart of this manager. */
  cancel(): void {
    this.canceled = true;
    if (this.pending) {
      this.timers.clearTimeout(this.pending.handle);
      this.pending.reject(new RestartCanceledError());
      this.pending = undefined;
      this.active = false;
    }
  }
}
