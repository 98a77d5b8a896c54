import { humanSize } from '@berth/api-types';
import { TabWriter } from '../tabwriter.js';

/** The parts of a stats frame the table uses. */
export interface StatsFrame {
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  network?: { rx_bytes: number; tx_bytes: number };
}

/** One row of `berth stats`. */
export interface StatsRow {
  name: string;
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  netRx: number;
  netTx: number;
}

/** Docker's calculateCPUPercent: the container's share of the host's CPU time since precpu_stats, times the CPUs. */
function cpuPercent(f: StatsFrame): number {
  const cpuDelta = (f.cpu_stats?.cpu_usage?.total_usage ?? 0) - (f.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (f.cpu_stats?.system_cpu_usage ?? 0) - (f.precpu_stats?.system_cpu_usage ?? 0);
  const ncpu = f.cpu_stats?.online_cpus || f.cpu_stats?.cpu_usage?.percpu_usage?.length || 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * ncpu * 100 : 0;
}

export function statsRow(name: string, f: StatsFrame): StatsRow {
  const memory = f.memory_stats?.usage ?? 0;
  const memoryLimit = f.memory_stats?.limit ?? 0;
  const nets = f.networks ? Object.values(f.networks) : f.network ? [f.network] : [];
  return {
    name,
    cpuPercent: cpuPercent(f),
    memory,
    memoryLimit,
    memoryPercent: memoryLimit > 0 ? (memory / memoryLimit) * 100 : 0,
    netRx: nets.reduce((s, n) => s + n.rx_bytes, 0),
    netTx: nets.reduce((s, n) => s + n.tx_bytes, 0),
  };
}

/** docker 1.7.1's stats table: `CONTAINER  CPU %  MEM USAGE/LIMIT  MEM %  NET I/O`, sizes in decimal units. */
export function formatStats(rows: readonly StatsRow[]): string {
  let out = '';
  const w = new TabWriter((s) => (out += s));
  w.write('CONTAINER\tCPU %\tMEM USAGE/LIMIT\tMEM %\tNET I/O\n');
  for (const r of rows) {
    w.write(
      `${r.name}\t${r.cpuPercent.toFixed(2)}%\t${humanSize(r.memory)}/${humanSize(r.memoryLimit)}\t${r.memoryPercent.toFixed(2)}%\t${humanSize(r.netRx)}/${humanSize(r.netTx)}\n`,
    );
  }
  w.flush();
  return out;
}
