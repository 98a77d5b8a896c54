import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceRule, Resources, ThrottleDevice } from '../spec.js';
import type { BlkioEntry, Cgroup, CgroupStats } from './cgroup.js';
import { cgroupHost } from './detect.js';
import { killPids, readAllPids, readFlatKeyed, readOptionalNumber, readText, removeDir, systemCpuUsage, writeCgroupFile } from './files.js';

export function deviceRuleText(r: DeviceRule): string {
  return r.type === 'a' ? 'a' : `${r.type} ${r.major}:${r.minor} ${r.access}`;
}

function throttle(list: ThrottleDevice[] | undefined): string[] {
  return (list ?? []).map((d) => `${d.major}:${d.minor} ${d.rate}`);
}

function parseBlkio(file: string): BlkioEntry[] {
  let text = '';
  try {
    text = readText(file);
  } catch {
    return [];
  }
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line);
    if (m) out.push({ major: Number(m[1]), minor: Number(m[2]), op: m[3] ?? '', value: Number(m[4]) });
  }
  return out;
}

/** cgroup v1: one directory per controller hierarchy. */
export class CgroupV1 implements Cgroup {
  readonly version = 1 as const;
  readonly paths: Record<string, string> = {};

  constructor(relativePath: string) {
    for (const [controller, mount] of cgroupHost().controllers) this.paths[controller] = join(mount, relativePath);
  }

  get procsFiles(): string[] {
    return [...new Set(Object.values(this.paths))].map((p) => join(p, 'cgroup.procs'));
  }

  get oomFile(): string | undefined {
    return this.paths.memory ? join(this.paths.memory, 'memory.oom_control') : undefined;
  }

  private file(controller: string, name: string): string {
    const dir = this.paths[controller];
    if (!dir) throw new Error(`cgroup controller ${controller} is not mounted on this host`);
    return join(dir, name);
  }

  create(resources: Resources | undefined): void {
    for (const [controller, dir] of Object.entries(this.paths)) {
      if (controller === 'cpuset') this.makeCpuset(dir);
      else mkdirSync(dir, { recursive: true });
    }
    this.update(resources ?? {});
  }

  /** A v1 cpuset starts empty and refuses tasks: each new level inherits its parent's cpus and mems. */
  private makeCpuset(dir: string): void {
    if (existsSync(dir)) return;
    const parent = dirname(dir);
    this.makeCpuset(parent);
    mkdirSync(dir);
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      if (readText(join(dir, f)) === '') writeCgroupFile(join(dir, f), readText(join(parent, f)));
    }
  }

  update(r: Resources): void {
    if (r.memory !== undefined && r.memory > 0) {
      // memsw must stay >= memory: raise it first when it is being lowered below it
      if (r.memorySwap !== undefined && r.memorySwap !== 0) {
        const memsw = this.file('memory', 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeCgroupFile(memsw, -1);
      }
      writeCgroupFile(this.file('memory', 'memory.limit_in_bytes'), r.memory);
      if (r.memorySwap !== undefined && r.memorySwap !== 0) {
        const memsw = this.file('memory', 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeCgroupFile(memsw, r.memorySwap);
      }
    }
    if (r.memoryReservation) writeCgroupFile(this.file('memory', 'memory.soft_limit_in_bytes'), r.memoryReservation);
    if (r.memorySwappiness !== undefined && r.memorySwappiness >= 0) {
      writeCgroupFile(this.file('memory', 'memory.swappiness'), r.memorySwappiness);
    }
    if (r.oomKillDisable) writeCgroupFile(this.file('memory', 'memory.oom_control'), 1);
    if (r.cpuShares) writeCgroupFile(this.file('cpu', 'cpu.shares'), r.cpuShares);
    if (r.cpuPeriod) writeCgroupFile(this.file('cpu', 'cpu.cfs_period_us'), r.cpuPeriod);
    if (r.cpuQuota) writeCgroupFile(this.file('cpu', 'cpu.cfs_quota_us'), r.cpuQuota);
    if (r.cpusetCpus) writeCgroupFile(this.file('cpuset', 'cpuset.cpus'), r.cpusetCpus);
    if (r.cpusetMems) writeCgroupFile(this.file('cpuset', 'cpuset.mems'), r.cpusetMems);
    if (r.blkioWeight) {
      const weight = this.file('blkio', 'blkio.weight');
      writeCgroupFile(existsSync(weight) ? weight : this.file('blkio', 'blkio.bfq.weight'), r.blkioWeight);
    }
    const throttles: [keyof Resources, string][] = [
      ['blkioReadBps', 'blkio.throttle.read_bps_device'],
      ['blkioWriteBps', 'blkio.throttle.write_bps_device'],
      ['blkioReadIops', 'blkio.throttle.read_iops_device'],
      ['blkioWriteIops', 'blkio.throttle.write_iops_device'],
    ];
    for (const [key, name] of throttles) {
      for (const line of throttle(r[key] as ThrottleDevice[] | undefined)) writeCgroupFile(this.file('blkio', name), line);
    }
    if (r.pidsLimit !== undefined && r.pidsLimit !== 0) {
      writeCgroupFile(this.file('pids', 'pids.max'), r.pidsLimit > 0 ? r.pidsLimit : 'max');
    }
    for (const rule of r.devices ?? []) {
      writeCgroupFile(this.file('devices', rule.allow ? 'devices.allow' : 'devices.deny'), deviceRuleText(rule));
    }
    for (const h of r.hugepageLimits ?? []) writeCgroupFile(this.file('hugetlb', `hugetlb.${h.pageSize}.limit_in_bytes`), h.limit);
    if (r.unified && Object.keys(r.unified).length) throw new Error('unified resources need cgroup v2');
  }

  async freeze(): Promise<void> {
    await this.setFreezer('FROZEN');
  }

  async thaw(): Promise<void> {
    await this.setFreezer('THAWED');
  }

  frozen(): boolean {
    return readText(this.file('freezer', 'freezer.state')) === 'FROZEN';
  }

  /** The kernel may report FREEZING for a while; retry until the state sticks, as runc does. */
  private async setFreezer(state: 'FROZEN' | 'THAWED'): Promise<void> {
    const file = this.file('freezer', 'freezer.state');
    for (let i = 0; i < 1000; i++) {
      writeCgroupFile(file, state);
      if (readText(file) === state) return;
      await sleep(1);
    }
    throw new Error(`cgroup freezer did not reach ${state}`);
  }

  stats(): CgroupStats {
    const cpuacct = (name: string) => this.file('cpuacct', name);
    const cpuStat = readFlatKeyed(this.file('cpu', 'cpu.stat'));
    const acctStat = readFlatKeyed(cpuacct('cpuacct.stat'));
    const tick = 1e9 / 100;
    const mem = (name: string) => this.file('memory', name);
    const memStat = readFlatKeyed(mem('memory.stat'));
    return {
      cpu: {
        totalUsage: readOptionalNumber(cpuacct('cpuacct.usage')),
        perCpuUsage: readText(cpuacct('cpuacct.usage_percpu')).split(/\s+/).filter(Boolean).map(Number),
        usageInKernelmode: (acctStat.system ?? 0) * tick,
        usageInUsermode: (acctStat.user ?? 0) * tick,
        systemUsage: systemCpuUsage(),
        throttling: {
          periods: cpuStat.nr_periods ?? 0,
          throttledPeriods: cpuStat.nr_throttled ?? 0,
          throttledTime: cpuStat.throttled_time ?? 0,
        },
      },
      memory: {
        usage: readOptionalNumber(mem('memory.usage_in_bytes')),
        maxUsage: readOptionalNumber(mem('memory.max_usage_in_bytes')),
        limit: readOptionalNumber(mem('memory.limit_in_bytes')),
        failcnt: readOptionalNumber(mem('memory.failcnt')),
        cache: memStat.cache ?? 0,
        stats: memStat,
      },
      blkio: {
        ioServiceBytesRecursive: parseBlkio(this.file('blkio', 'blkio.throttle.io_service_bytes_recursive')),
        ioServicedRecursive: parseBlkio(this.file('blkio', 'blkio.throttle.io_serviced_recursive')),
      },
      pids: { current: readOptionalNumber(this.file('pids', 'pids.current')), limit: readOptionalNumber(this.file('pids', 'pids.max')) },
    };
  }

  pids(): number[] {
    const dir = this.paths.freezer ?? this.paths.memory;
    return dir ? readAllPids(dir) : [];
  }

  killAll(): void {
    killPids(this.pids());
  }

  async destroy(): Promise<void> {
    for (const dir of new Set(Object.values(this.paths))) await removeDir(dir);
  }
}

