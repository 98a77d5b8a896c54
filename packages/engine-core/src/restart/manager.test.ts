import { describe, expect, it } from 'vitest';
import { RestartCanceledError, RestartManager, type RestartDecision, type TimerApi } from './index.js';

/** Timers that fire only when the test advances the clock. */
class FakeTimers implements TimerApi {
  now = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 0;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.now += ms;
    const due = this.queue.filter((t) => t.at <= this.now);
    this.queue = this.queue.filter((t) => t.at > this.now);
    for (const t of due) t.fn();
  }
  get pending(): number {
    return this.queue.length;
  }
}

function delays(rm: RestartManager, timers: FakeTimers, runs: number[], exitCode = 1): (number | false)[] {
  const out: (number | false)[] = [];
  for (const ran of runs) {
    const d: RestartDecision = rm.shouldRestart(exitCode, false, ran);
    out.push(d.restart ? d.delayMs : false);
    if (d.restart) timers.advance(d.delayMs);
  }
  return out;
}

describe('RestartManager', () => {
  it('never restarts with no policy', () => {
    const t = new FakeTimers();
    expect(delays(new RestartManager({ Name: 'no', MaximumRetryCount: 0 }, 0, t), t, [0, 0])).toEqual([false, false]);
    expect(delays(new RestartManager({ Name: '', MaximumRetryCount: 0 }, 0, t), t, [0])).toEqual([false]);
  });

  it('always: doubles the delay from 100 ms, caps at a minute, resets after 10 s of running', () => {
    const t = new FakeTimers();
    const rm = new RestartManager({ Name: 'always', MaximumRetryCount: 0 }, 0, t);
    expect(delays(rm, t, [0, 50, 9_999, 1])).toEqual([100, 200, 400, 800]);
    expect(delays(rm, t, [10_000])).toEqual([100]);
    expect(delays(rm, t, Array(12).fill(0)).at(-1)).toBe(60_000);
    expect(delays(rm, t, [0], 0)).toEqual([60_000]);
    expect(rm.restartCount).toBe(18);
  });

  it('on-failure restarts only non-zero exits, up to MaximumRetryCount', () => {
    const t = new FakeTimers();
    const rm = new RestartManager({ Name: 'on-failure', MaximumRetryCount: 2 }, 0, t);
    expect(delays(rm, t, [0], 0)).toEqual([false]);
    expect(delays(rm, t, [0, 0, 0])).toEqual([200, 400, false]);
    expect(rm.restartCount).toBe(2);
    const unlimited = new RestartManager({ Name: 'on-failure', MaximumRetryCount: 0 }, 0, t);
    expect(delays(unlimited, t, Array(5).fill(0)).every((d) => d !== false)).toBe(true);
  });

  it('counts restarts carried over from before a daemon restart', () => {
    const t = new FakeTimers();
    const rm = new RestartManager({ Name: 'on-failure', MaximumRetryCount: 3 }, 3, t);
    expect(delays(rm, t, [0])).toEqual([false]);
  });

  it('unless-stopped does not restart a container the user stopped', () => {
    const t = new FakeTimers();
    const rm = new RestartManager({ Name: 'unless-stopped', MaximumRetryCount: 0 }, 0, t);
    expect(rm.shouldRestart(0, true, 0)).toEqual({ restart: false });
    expect(rm.shouldRestart(0, false, 0).restart).toBe(true);
  });

  it('waits for the delay, and cancel rejects the wait and refuses later restarts', async () => {
    const t = new FakeTimers();
    const rm = new RestartManager({ Name: 'always', MaximumRetryCount: 0 }, 0, t);
    const d = rm.shouldRestart(1, false, 0);
    if (!d.restart) throw new Error('expected a restart');
    let done = false;
    void d.ready.then(() => (done = true));
    t.advance(99);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(() => rm.shouldRestart(1, false, 0)).toThrow('invalid call on an active restart manager');
    t.advance(1);
    await d.ready;
    expect(done).toBe(true);

    const d2 = rm.shouldRestart(1, false, 0);
    if (!d2.restart) throw new Error('expected a restart');
    rm.cancel();
    await expect(d2.ready).rejects.toBeInstanceOf(RestartCanceledError);
    expect(t.pending).toBe(0);
    expect(() => rm.shouldRestart(1, false, 0)).toThrow(RestartCanceledError);
  });

  it('runs on real timers by default', async () => {
    const rm = new RestartManager({ Name: 'always', MaximumRetryCount: 0 });
    const d = rm.shouldRestart(0, false, 0);
    if (!d.restart) throw new Error('expected a restart');
    const start = Date.now();
    await d.ready;
    expect(Date.now() - start).toBeGreaterThanOrEqual(90);
  });
});
