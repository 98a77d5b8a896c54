import { readFileSync } from 'node:fs';

export interface NetworkStats {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** Interface counters as seen in the network namespace of `pid` (/proc/PID/net/dev), loopback excluded. */
export function networkStats(pid: number): Record<string, NetworkStats> {
  const out: Record<string, NetworkStats> = {};
  const lines = readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').slice(2);
  for (const line of lines) {
    const [name, rest] = line.split(':');
    if (!name || rest === undefined || name.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    const n = (i: number) => f[i] ?? 0;
    out[name.trim()] = {
      rxBytes: n(0), rxPackets: n(1), rxErrors: n(2), rxDropped: n(3),
      txBytes: n(8), txPackets: n(9), txErrors: n(10), txDropped: n(11),
    };
  }
  return out;
}
