import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DigestMismatchError, RegistryError } from './errors.js';
import { isRetryable, Limiter, withRetries } from './transfer.js';

describe('Limiter', () => {
  it('runs at most n tasks at once, in order', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          peak = Math.max(peak, ++active);
          await sleep(5);
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(() => new Limiter(0)).toThrow('concurrency must be at least 1');
  });
});

describe('retries', () => {
  it('classifies errors as moby does', () => {
    expect(isRetryable(new DigestMismatchError('sha256:a', 'sha256:b'))).toBe(false);
    expect(isRetryable(new RegistryError('denied', { status: 403 }))).toBe(false);
    expect(isRetryable(new RegistryError('busy', { status: 503 }))).toBe(true);
    expect(isRetryable(new RegistryError('dial tcp: connection refused'))).toBe(true);
  });

  it('counts down 5n steps after attempt n and stops after the last attempt', async () => {
    const countdown: number[] = [];
    let calls = 0;
    await expect(
      withRetries({ attempts: 3, stepMs: 0 }, async () => {
        calls++;
        throw new RegistryError('busy', { status: 502 });
      }, (n) => countdown.push(n)),
    ).rejects.toThrow('busy');
    expect(calls).toBe(3);
    expect(countdown).toEqual([5, 4, 3, 2, 1, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});
