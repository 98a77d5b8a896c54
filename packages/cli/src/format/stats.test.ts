import { describe, expect, it } from 'vitest';
import { formatStats, statsRow } from './stats.js';

describe('berth stats table', () => {
  it("computes CPU % from precpu_stats as docker does and prints the book's columns", () => {
    const row = statsRow('2660e91327f6', {
      precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 2_000_000_000 },
      cpu_stats: { cpu_usage: { total_usage: 1_500_000, percpu_usage: [1, 2] }, system_cpu_usage: 4_000_000_000 },
      memory_stats: { usage: 13_610_000, limit: 33_690_000_000 },
      networks: { eth0: { rx_bytes: 1_066_000, tx_bytes: 3_838_000 } },
    });
    expect(row.cpuPercent).toBeCloseTo(0.05);
    expect(formatStats([row, statsRow('97a301d1f425', {})])).toBe(
      'CONTAINER           CPU %               MEM USAGE/LIMIT     MEM %               NET I/O\n' +
        '2660e91327f6        0.05%               13.61 MB/33.69 GB   0.04%               1.066 MB/3.838 MB\n' +
        '97a301d1f425        0.00%               0 B/0 B             0.00%               0 B/0 B\n',
    );
  });

  it('reads the single network object of API 1.19 frames', () => {
    expect(statsRow('x', { network: { rx_bytes: 558, tx_bytes: 648 } })).toMatchObject({ netRx: 558, netTx: 648 });
  });
});
