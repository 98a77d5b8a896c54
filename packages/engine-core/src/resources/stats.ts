import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, totalmem } from 'node:os';
import type { BlkioEntry, ContainerStats, CpuStats, NetworkStats } from '@berth/libcontainer';
import { versionLessThan } from '@berth/api-types';

/** One sample: the libcontainer stats of a running container, or undefined once it stopped. */
export type StatsSampler = () => ContainerStats | undefined;

export interface StatsOptions {
  /** Docker's `stream` (default true): a frame every second until the client leaves or the container stops. */
  stream: boolean;
  /** Docker's `one-shot`: with stream=false, answer at once without waiting for a second sample for precpu_stats. */
  oneShot: boolean;
  name: string;
  id: string;
  apiVersion: string;
  signal?: AbortSignal;
  /** Between samples; Docker's collector ticks every second. */
  intervalMs?: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

type Json = Record<string, unknown>;

function cpuJson(c: CpuStats | undefined, legacy: boolean): Json {
  const usage: Json = {
    total_usage: c?.totalUsage ?? 0,
    ...(c && c.perCpuUsage.length > 0 ? { percpu_usage: c.perCpuUsage } : legacy ? { percpu_usage: null } : {}),
    usage_in_kernelmode: c?.usageInKernelmode ?? 0,
    usage_in_usermode: c?.usageInUsermode ?? 0,
  };
  return {
    cpu_usage: usage,
    ...(c || legacy ? { system_cpu_usage: c?.systemUsage ?? 0 } : {}),
    ...(c && !legacy ? { online_cpus: c.perCpuUsage.length || cpus().length } : {}),
    throttling_data: {
      periods: c?.throttling.periods ?? 0,
      throttled_periods: c?.throttling.throttledPeriods ?? 0,
      throttled_time: c?.throttling.throttledTime ?? 0,
    },
  };
}

const blkioJson = (list: BlkioEntry[] | undefined, legacy: boolean): Json[] | null => {
  const out = (list ?? []).map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value }));
  return out.length === 0 && !legacy ? null : out;
};

const netJson = (n: NetworkStats): Json => ({
  rx_bytes: n.rxBytes,
  rx_packets: n.rxPackets,
  rx_errors: n.rxErrors,
  rx_dropped: n.rxDropped,
  tx_bytes: n.txBytes,
  tx_packets: n.txPackets,
  tx_errors: n.txErrors,
  tx_dropped: n.txDropped,
});

function sumNetworks(nets: Record<string, NetworkStats>): NetworkStats {
  const sum: NetworkStats = { rxBytes: 0, rxPackets: 0, rxErrors: 0, rxDropped: 0, txBytes: 0, txPackets: 0, txErrors: 0, txDropped: 0 };
  for (const n of Object.values(nets)) for (const k of Object.keys(sum) as (keyof NetworkStats)[]) sum[k] += n[k];
  return sum;
}

/**
 * Docker's stats JSON (`types.StatsJSON`) of a sample and the one before it (precpu_stats).
 * The memory limit of an unlimited container is the host's memory, as Docker reports it;
 * before API 1.21 the network is one `network` object and the book's 1.19 layout is kept.
 */
export function statsJson(cur: ContainerStats | undefined, pre: ContainerStats | undefined, o: Pick<StatsOptions, 'name' | 'id' | 'apiVersion'>): Json {
  const legacy = versionLessThan(o.apiVersion, '1.21');
  const machine = totalmem();
  const memory: Json = cur
    ? {
        usage: cur.memory.usage,
        max_usage: cur.memory.maxUsage,
        stats: Object.fromEntries(Object.entries(cur.memory.stats).sort(([a], [b]) => (a < b ? -1 : 1))),
        failcnt: cur.memory.failcnt,
        limit: cur.memory.limit > 0 && cur.memory.limit < machine ? cur.memory.limit : machine,
      }
    : {};
  const blkio: Json = {
    io_service_bytes_recursive: blkioJson(cur?.blkio.ioServiceBytesRecursive, legacy),
    io_serviced_recursive: blkioJson(cur?.blkio.ioServicedRecursive, legacy),
    io_queue_recursive: blkioJson([], legacy),
    io_service_time_recursive: blkioJson([], legacy),
    io_wait_time_recursive: blkioJson([], legacy),
    io_merged_recursive: blkioJson([], legacy),
    io_time_recursive: blkioJson([], legacy),
    sectors_recursive: blkioJson([], legacy),
  };
  if (legacy) {
    return {
      read: cur?.read ?? ZERO_TIME,
      network: netJson(sumNetworks(cur?.networks ?? {})),
      precpu_stats: cpuJson(pre?.cpu, true),
      cpu_stats: cpuJson(cur?.cpu, true),
      memory_stats: memory,
      blkio_stats: blkio,
    };
  }
  const nets = cur?.networks ?? {};
  return {
    name: o.name,
    id: o.id,
    read: cur?.read ?? ZERO_TIME,
    preread: pre?.read ?? ZERO_TIME,
    pids_stats: cur ? { current: cur.pids.current, ...(cur.pids.limit > 0 && cur.pids.limit < Number.MAX_SAFE_INTEGER ? { limit: cur.pids.limit } : {}) } : {},
    blkio_stats: blkio,
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuJson(cur?.cpu, false),
    precpu_stats: cpuJson(pre?.cpu, false),
    memory_stats: memory,
    ...(Object.keys(nets).length > 0 ? { networks: Object.fromEntries(Object.entries(nets).map(([k, v]) => [k, netJson(v)])) } : {}),
  };
}

/**
 * Docker's stats loop (daemon/stats.go): streaming, a frame per interval whose precpu_stats are
 * the previous frame's cpu_stats (zero in the first); without stream, one frame, after a primer
 * sample unless one-shot; a stopped container gives one empty frame.
 */
export async function* statsFrames(sampler: StatsSampler, o: StatsOptions): AsyncGenerator<Json> {
  const interval = o.intervalMs ?? 1000;
  const sample = (): ContainerStats | undefined => {
    try {
      return sampler();
    } catch {
      return undefined; // the container stopped while its cgroup was read
    }
  };
  let pre: ContainerStats | undefined;
  let cur = sample();
  if (!cur) {
    yield statsJson(undefined, undefined, o);
    return;
  }
  if (!o.stream && !o.oneShot) {
    await sleep(interval, undefined, o.signal ? { signal: o.signal } : {}).catch(() => {});
    pre = cur;
    cur = sample() ?? cur;
  }
  for (;;) {
    yield statsJson(cur, pre, o);
    if (!o.stream || o.signal?.aborted) return;
    try {
      await sleep(interval, undefined, o.signal ? { signal: o.signal } : {});
    } catch {
      return;
    }
    const next = sample();
    if (!next) return;
    pre = cur;
    cur = next;
  }
}

/**
 * JSON with integers above 2^53 written in full (the cgroup "unlimited" 9223372036854771712
 * would print as 9223372036854772000): Docker's sizes are integers.
 */
export function stringifyIntegers(value: unknown): string {
  const marker = '\u0000int:';
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? `${marker}${BigInt(v).toString()}` : v,
  ).replace(/"\\u0000int:(\d+)"/g, '$1');
}
