import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Resources, ThrottleDevice } from '../spec.js';
import type { BlkioEntry, Cgroup, CgroupStats } from './cgroup.js';
import { readFlatKeyed, readOptionalNumber, readPids, readText, removeDir, systemCpuUsage, writeCgroupFile } from './files.js';

/** Docker's conversion of cpu shares (2..262144) to a v2 weight (1..10000). */
export function sharesToWeight(shares: number): number {
  return Math.round(1 + ((shares - 2) * 9999) / 262142);
}

/** Docker's conversion of a blkio weight (10..1000) to an io.weight (1..10000). */
export function blkioToIoWeight(weight: number): number {
  return Math.round(1 + ((weight - 10) * 9999) / 990);
}

/** cgroup v2: one directory, with the controllers enabled down the tree. */
export class CgroupV2 implements Cgroup {
  readonly version = 2 as const;
  readonly paths: Record<string, string>;

  constructor(
    private readonly mount: string,
    relativePath: string,
  ) {
    this.paths = { unified: join(mount, relativePath) };
  }

  private get dir(): string {
    return this.paths.unified as string;
  }

  get procsFiles(): string[] {
    return [join(this.dir, 'cgroup.procs')];
  }

  get oomFile(): string {
    return join(this.dir, 'memory.events');
  }

  create(resources: Resources | undefined): void {
    mkdirSync(this.dir, { recursive: true });
    // enable every available controller from the root down to the container's parent
    let current = this.mount;
    const parts = relative(this.mount, this.dir).split(sep);
    for (const part of parts) {
      const available = readText(join(current, 'cgroup.controllers')).split(' ').filter(Boolean);
      if (available.length) writeCgroupFile(join(current, 'cgroup.subtree_control'), available.map((c) => `+${c}`).join(' '));
      current = join(current, part);
    }
    this.update(resources ?? {});
  }

  update(r: Resources): void {
    const f = (name: string) => join(this.dir, name);
    if (r.memory !== undefined && r.memory > 0) writeCgroupFile(f('memory.max'), r.memory);
    if (r.memorySwap !== undefined && r.memorySwap !== 0) {
      writeCgroupFile(f('memory.swap.max'), r.memorySwap < 0 ? 'max' : Math.max(0, r.memorySwap - (r.memory ?? 0)));
    }
    if (r.memoryReservation) writeCgroupFile(f('memory.low'), r.memoryReservation);
    if (r.oomKillDisable) throw new Error('oom-kill-disable is not supported on cgroup v2');
    if (r.cpuShares) writeCgroupFile(f('cpu.weight'), sharesToWeight(r.cpuShares));
    if (r.cpuQuota || r.cpuPeriod) writeCgroupFile(f('cpu.max'), `${r.cpuQuota && r.cpuQuota > 0 ? r.cpuQuota : 'max'} ${r.cpuPeriod || 100000}`);
    if (r.cpusetCpus) writeCgroupFile(f('cpuset.cpus'), r.cpusetCpus);
    if (r.cpusetMems) writeCgroupFile(f('cpuset.mems'), r.cpusetMems);
    if (r.blkioWeight) writeCgroupFile(f('io.weight'), `default ${blkioToIoWeight(r.blkioWeight)}`);
    const io: [ThrottleDevice[] | undefined, string][] = [
      [r.blkioReadBps, 'rbps'], [r.blkioWriteBps, 'wbps'], [r.blkioReadIops, 'riops'], [r.blkioWriteIops, 'wiops'],
    ];
    for (const [list, key] of io) for (const d of list ?? []) writeCgroupFile(f('io.max'), `${d.major}:${d.minor} ${key}=${d.rate}`);
    if (r.pidsLimit !== undefined && r.pidsLimit !== 0) writeCgroupFile(f('pids.max'), r.pidsLimit > 0 ? r.pidsLimit : 'max');
    if (r.devices?.length) {
      // v2 filters devices with an eBPF program, which berth does not load yet
      throw new Error('device cgroup rules are not supported on cgroup v2 yet');
    }
  }

  async freeze(): Promise<void> {
    await this.setFrozen(true);
  }

  async thaw(): Promise<void> {
    await this.setFrozen(false);
  }

  frozen(): boolean {
    return readText(join(this.dir, 'cgroup.freeze')) === '1';
  }

  private async setFrozen(frozen: boolean): Promise<void> {
    writeCgroupFile(join(this.dir, 'cgroup.freeze'), frozen ? 1 : 0);
    for (let i = 0; i < 1000; i++) {
      if ((readFlatKeyed(join(this.dir, 'cgroup.events')).frozen === 1) === frozen) return;
      await sleep(1);
    }
    throw new Error(`cgroup did not become ${frozen ? 'frozen' : 'thawed'}`);
  }

  stats(): CgroupStats {
    const f = (name: string) => join(this.dir, name);
    const cpu = readFlatKeyed(f('cpu.stat'));
    const mem = readFlatKeyed(f('memory.stat'));
    const io: BlkioEntry[] = [];
    const ops: BlkioEntry[] = [];
    if (existsSync(f('io.stat'))) {
      for (const line of readText(f('io.stat')).split('\n')) {
        const [dev, ...kv] = line.split(' ');
        const [major, minor] = (dev ?? '').split(':').map(Number);
        if (major === undefined || minor === undefined) continue;
        const v = Object.fromEntries(kv.map((p) => p.split('=') as [string, string]));
        io.push({ major, minor, op: 'Read', value: Number(v.rbytes ?? 0) }, { major, minor, op: 'Write', value: Number(v.wbytes ?? 0) });
        ops.push({ major, minor, op: 'Read', value: Number(v.rios ?? 0) }, { major, minor, op: 'Write', value: Number(v.wios ?? 0) });
      }
    }
    return {
      cpu: {
        totalUsage: (cpu.usage_usec ?? 0) * 1000,
        perCpuUsage: [],
        usageInKernelmode: (cpu.system_usec ?? 0) * 1000,
        usageInUsermode: (cpu.user_usec ?? 0) * 1000,
        systemUsage: systemCpuUsage(),
        throttling: { periods: cpu.nr_periods ?? 0, throttledPeriods: cpu.nr_throttled ?? 0, throttledTime: (cpu.throttled_usec ?? 0) * 1000 },
      },
      memory: {
        usage: readOptionalNumber(f('memory.current')),
        maxUsage: readOptionalNumber(f('memory.peak')),
        limit: readOptionalNumber(f('memory.max')),
        failcnt: readFlatKeyed(f('memory.events')).max ?? 0,
        cache: mem.file ?? 0,
        stats: mem,
      },
      blkio: { ioServiceBytesRecursive: io, ioServicedRecursive: ops },
      pids: { current: readOptionalNumber(f('pids.current')), limit: readOptionalNumber(f('pids.max')) },
    };
  }

  pids(): number[] {
    return readPids(join(this.dir, 'cgroup.procs'));
  }

  async destroy(): Promise<void> {
    await removeDir(this.dir);
  }
}
