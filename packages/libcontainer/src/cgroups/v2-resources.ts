import type { Resources } from '../spec.js';

/**
 * One cgroup v2 file write. `ifExists`: skipped when the kernel lacks the file (swap accounting
 * off, no .rsvd); `orElse`: what to write instead when it lacks the file.
 */
export interface V2Write {
  file: string;
  value: string;
  ifExists?: boolean;
  orElse?: V2Write;
}

/**
 * cpu shares (v1, 2..262144, default 1024) to cpu.weight (1..10000, default 100): runc's current
 * ConvertCPUSharesToCgroupV2Value, a quadratic in log2(shares) that maps 2→1, 1024→100 and
 * 262144→10000 (the older linear 1 + (shares-2)*9999/262142 sent the default 1024 to 39).
 */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  return Math.ceil(10 ** ((l * l + 125 * l) / 612 - 7 / 34));
}

/** blkio weight (10..1000) to io.weight (1..10000): runc's ConvertBlkIOToIOWeightValue, integer division. */
export function blkioWeightToIoWeight(weight: number): number {
  if (weight === 0) return 0;
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

/**
 * memory.swap.max from Docker's memory+swap (runc's ConvertMemorySwapToCgroupV2Value): v2 limits
 * the swap alone, so the memory limit is taken off; -1 is unlimited, 0 unset.
 */
export function memorySwapToV2(memorySwap: number, memory: number): number {
  if (memory === -1 && memorySwap === 0) return -1;
  if (memorySwap === -1 || memorySwap === 0) return memorySwap;
  if (memory === 0 || memory === -1) throw new Error('unable to set swap limit without memory limit');
  if (memory < 0) throw new Error(`invalid memory value: ${memory}`);
  if (memorySwap < memory) throw new Error('memory+swap limit should be >= memory limit');
  return memorySwap - memory;
}

/** runc's numToStr: 0 is unset (nothing written), -1 is `max`. */
function numToStr(n: number | undefined): string {
  if (!n) return '';
  return n === -1 ? 'max' : String(n);
}

/** Limits v2 has no file for: refused by name rather than dropped (Docker discards them with a warning before). */
function refuseUnsupported(r: Resources): void {
  if (r.oomKillDisable) throw new Error('cgroup v2 does not support oom-kill-disable (no memory.oom_control)');
  if (r.memorySwappiness !== undefined && r.memorySwappiness >= 0) throw new Error('cgroup v2 does not support memory swappiness (no memory.swappiness)');
}

/** The file writes that apply `r` on cgroup v2, in runc's order (fs2 Set: pids, memory, io, cpu, cpuset, hugetlb, unified); devices are a BPF program instead. */
export function v2Writes(r: Resources): V2Write[] {
  refuseUnsupported(r);
  const w: V2Write[] = [];
  const put = (file: string, value: string, ifExists = false) => {
    if (value !== '') w.push(ifExists ? { file, value, ifExists } : { file, value });
  };
  put('pids.max', r.pidsLimit !== undefined && r.pidsLimit < 0 ? 'max' : numToStr(r.pidsLimit));

  const memory = r.memory ?? 0;
  if (memory || r.memorySwap || r.memoryReservation) {
    const swap = memorySwapToV2(r.memorySwap ?? 0, memory);
    // memory == memory+swap: no swap at all, which numToStr(0) would leave unset
    const swapText = swap === 0 && (r.memorySwap ?? 0) > 0 ? '0' : numToStr(swap);
    // without swap accounting there is no memory.swap.max: "max" and "0" are what the kernel does anyway
    put('memory.swap.max', swapText, swapText === 'max' || swapText === '0');
    put('memory.max', numToStr(memory));
    put('memory.low', numToStr(r.memoryReservation));
  }

  // BFQ takes the v1 weight as it is; without BFQ io.weight takes it converted
  if (r.blkioWeight) w.push({ file: 'io.bfq.weight', value: String(r.blkioWeight), orElse: { file: 'io.weight', value: String(blkioWeightToIoWeight(r.blkioWeight)) } });
  const io = [
    [r.blkioReadBps, 'rbps'], [r.blkioWriteBps, 'wbps'], [r.blkioReadIops, 'riops'], [r.blkioWriteIops, 'wiops'],
  ] as const;
  for (const [list, key] of io) for (const d of list ?? []) put('io.max', `${d.major}:${d.minor} ${key}=${d.rate}`);

  put('cpu.weight', numToStr(cpuSharesToWeight(r.cpuShares ?? 0)));
  if (r.cpuQuota || r.cpuPeriod) {
    // no period: the kernel keeps the one it has (100ms by default)
    put('cpu.max', `${r.cpuQuota && r.cpuQuota > 0 ? r.cpuQuota : 'max'}${r.cpuPeriod ? ` ${r.cpuPeriod}` : ''}`);
  }

  put('cpuset.cpus', r.cpusetCpus ?? '');
  put('cpuset.mems', r.cpusetMems ?? '');

  for (const h of r.hugepageLimits ?? []) {
    put(`hugetlb.${h.pageSize}.max`, String(h.limit));
    // the reservation limit (kernel 5.7+) follows the usage limit, as runc does
    put(`hugetlb.${h.pageSize}.rsvd.max`, String(h.limit), true);
  }

  for (const [file, value] of Object.entries(r.unified ?? {})) {
    if (!/^[a-z_]+\.[a-z0-9_.]+$/i.test(file)) throw new Error(`unified resource ${JSON.stringify(file)} must be in the form CONTROLLER.PARAMETER`);
    put(file, value);
  }
  return w;
}

/** The controller a v2 file belongs to (`memory.max` → `memory`); `cgroup.*` files are the core's. */
export function controllerOf(file: string): string | undefined {
  const controller = file.split('.', 1)[0] ?? '';
  return controller === 'cgroup' ? undefined : controller;
}
