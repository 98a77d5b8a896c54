import { describe, expect, it } from 'vitest';
import { alternate, median, medianRows, percentile } from './stats.mjs';

describe('bench stats', () => {
  it('takes medians and percentiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(10);
  });

  it('alternates subjects round-robin and drops the warm-up rounds', async () => {
    const order = [];
    const subjects = ['a', 'b'].map((name) => ({ name, run: async () => order.push(name) }));
    const times = await alternate(subjects, { runs: 3, warmup: 1 });
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(times.get('a')).toHaveLength(3);
  });

  it("makes a figure's rows: median and runs per subject, NaN for one that did not run", () => {
    const times = new Map([['a', [3, 1, 2]]]);
    expect(medianRows([{ name: 'a', berth: true }, { name: 'b' }], times)).toEqual([
      { subject: 'a', value: 2, runs: 3, berth: true },
      { subject: 'b', value: NaN, runs: undefined, berth: undefined },
    ]);
  });
});
