import type { Resources } from '../spec.js';

export interface CpuStats {
  /** nanoseconds */
  totalUsage: number;
  perCpuUsage: number[];
  usageInKernelmode: number;
  usageInUsermode: number;
  /** nanoseconds of the whole host (Docker's system_cpu_usage) */
  systemUsage: number;
  throttling: { periods: number; throttledPeriods: number; throttledTime: number };
}

export interface MemoryStats {
  usage: number;
  maxUsage: number;
  limit: number;
  failcnt: number;
  cache: number;
  stats: Record<string, number>;
}

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface CgroupStats {
  cpu: CpuStats;
  memory: MemoryStats;
  blkio: { ioServiceBytesRecursive: BlkioEntry[]; ioServicedRecursive: BlkioEntry[] };
  pids: { current: number; limit: number };
}

/** A container's cgroup, on v1 or v2 alike. */
export interface Cgroup {
  readonly version: 1 | 2;
  /** Directory per controller (v1) or `unified` (v2). */
  readonly paths: Readonly<Record<string, string>>;
  /** The cgroup.procs files the init is written to before it can run. */
  readonly procsFiles: string[];
  /** Where the kernel counts OOM kills (`oom_kill N`). */
  readonly oomFile: string | undefined;
  /** Makes the directories and writes the limits. */
  create(resources: Resources | undefined): void;
  /** Changes limits of a running container (docker update). */
  update(resources: Resources): void;
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  frozen(): boolean;
  /** SIGKILLs every process in the cgroup (v2: at once through cgroup.kill where the kernel has it). */
  killAll(): void;
  stats(): CgroupStats;
  /** PIDs (host) of every process in the cgroup. */
  pids(): number[];
  /** Removes the directories (the processes must be gone). */
  destroy(): Promise<void>;
}
