// Timing and statistics for the benchmarks: medians of many runs, subjects alternated so that
// drift of the machine (cache, frequency, other load) spreads over all of them alike.
import { performance } from 'node:perf_hooks';

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Milliseconds one call of `fn` takes (awaited). */
export async function timeOnce(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Runs every subject `runs` times, round-robin (A B C A B C …) after `warmup` rounds, and
 * returns each subject's timings in ms. A subject is { name, run: async () => void }.
 */
export async function alternate(subjects, { runs, warmup = 2 }) {
  const times = new Map(subjects.map((s) => [s.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const s of subjects) {
      const ms = await timeOnce(s.run);
      if (round >= warmup) times.get(s.name).push(ms);
    }
  }
  return times;
}

/**
 * A figure's rows from `alternate`'s timings: each subject's median and number of runs, in the
 * order given; a subject that has no timings (it could not run) gets NaN, shown as "n/a".
 */
export function medianRows(subjects, times) {
  return subjects.map((s) => {
    const t = times.get(s.name);
    return { subject: s.name, value: t ? median(t) : NaN, runs: t?.length, berth: s.berth };
  });
}

/** The subjects whose first run succeeds; the others are reported in `skipped`, not allowed to sink the rest. */
export async function runnableSubjects(subjects, skipped) {
  const runnable = [];
  for (const s of subjects) {
    try {
      await s.run();
      runnable.push(s);
    } catch (e) {
      skipped.push(`${s.name} (${e.message.split('\n')[0]})`);
    }
  }
  return runnable;
}
