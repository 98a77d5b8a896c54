import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Resources } from '../spec.js';
import type { BlkioEntry, Cgroup, CgroupStats } from './cgroup.js';
import { killPids, readAllPids, readFlatKeyed, readOptionalNumber, readText, removeDir, systemCpuUsage, writeCgroupFile } from './files.js';
import { addon } from '../native.js';
import { deviceFilterProgram } from './device-filter.js';
import { controllerOf, v2Writes } from './v2-resources.js';

/** io.stat as Docker's v2 stats give it: bytes read and written per device, op `read`/`write` (no other blkio list). */
export function parseIoStat(text: string): BlkioEntry[] {
  const bytes: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, ...kv] = line.split(' ');
    const [major, minor] = (dev ?? '').split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(minor)) continue;
    const v = Object.fromEntries(kv.map((p) => p.split('=') as [string, string]));
    bytes.push({ major, minor, op: 'read', value: Number(v.rbytes ?? 0) }, { major, minor, op: 'write', value: Number(v.wbytes ?? 0) });
  }
  return bytes;
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

  private file(name: string): string {
    return join(this.dir, name);
  }

  get procsFiles(): string[] {
    return [this.file('cgroup.procs')];
  }

  /** memory.events, when the memory controller is enabled (without it the kernel counts no OOM kills here). */
  get oomFile(): string | undefined {
    return existsSync(this.file('memory.events')) ? this.file('memory.events') : undefined;
  }

  /** The controllers this cgroup may use (its cgroup.controllers). */
  private controllers(): Set<string> {
    return new Set(readText(this.file('cgroup.controllers')).split(' ').filter(Boolean));
  }

  create(resources: Resources | undefined): void {
    mkdirSync(this.dir, { recursive: true });
    // Like runc: every level above the container hands down all the controllers it has (a
    // cgroup's own controllers come from its parent's cgroup.subtree_control).
    let current = this.mount;
    for (const part of relative(this.mount, this.dir).split(sep)) {
      const available = readText(join(current, 'cgroup.controllers')).split(' ').filter(Boolean);
      const enabled = new Set(readText(join(current, 'cgroup.subtree_control')).split(' ').filter(Boolean));
      const missing = available.filter((c) => !enabled.has(c));
      if (missing.length) writeCgroupFile(join(current, 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
      current = join(current, part);
    }
    this.update(resources ?? {});
  }

  update(r: Resources): void {
    const writes = v2Writes(r);
    const controllers = writes.length ? this.controllers() : new Set<string>();
    for (const write of writes) {
      const { file, value, ifExists } = write.orElse && !existsSync(this.file(write.file)) ? write.orElse : write;
      // e.g. unlimited swap: what the kernel does anyway where the file (or its controller) is missing
      if (ifExists && !existsSync(this.file(file))) continue;
      const controller = controllerOf(file);
      // runc's words for a limit whose controller this cgroup lacks (a hybrid host's v2 has few)
      if (controller && !controllers.has(controller)) {
        throw new Error(`resource ${JSON.stringify(file)} can't be set: cgroup v2 controller ${JSON.stringify(controller)} not available in ${this.dir} (cgroup.controllers: ${[...controllers].join(' ') || 'none'})`);
      }
      writeCgroupFile(this.file(file), value);
    }
    // Each call attaches one more program and the kernel asks them all: rules can only narrow.
    const devices = r.devices?.length ? deviceFilterProgram(r.devices) : undefined;
    if (devices) addon().attachDeviceFilter(this.dir, devices);
  }

  async freeze(): Promise<void> {
    await this.setFrozen(true);
  }

  async thaw(): Promise<void> {
    await this.setFrozen(false);
  }

  frozen(): boolean {
    return readText(this.file('cgroup.freeze')) === '1';
  }

  /** Writes cgroup.freeze, then waits for cgroup.events to say the whole tree got there. */
  private async setFrozen(frozen: boolean): Promise<void> {
    writeCgroupFile(this.file('cgroup.freeze'), frozen ? 1 : 0);
    for (let i = 0; i < 1000; i++) {
      if ((readFlatKeyed(this.file('cgroup.events')).frozen === 1) === frozen) return;
      await sleep(1);
    }
    throw new Error(`cgroup ${this.dir} did not become ${frozen ? 'frozen' : 'thawed'}`);
  }

  killAll(): void {
    // cgroup.kill (Linux 5.14+) kills the whole tree at once, also processes forking meanwhile
    if (existsSync(this.file('cgroup.kill'))) writeCgroupFile(this.file('cgroup.kill'), 1);
    else killPids(this.pids());
  }

  stats(): CgroupStats {
    const f = (name: string) => this.file(name);
    const cpu = readFlatKeyed(f('cpu.stat'));
    const mem = readFlatKeyed(f('memory.stat'));
    let io: BlkioEntry[] = [];
    try {
      io = parseIoStat(readText(f('io.stat')));
    } catch {
      // no io controller here
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
        // Docker's v2 failcnt: the OOM events
        failcnt: readFlatKeyed(f('memory.events')).oom ?? 0,
        cache: mem.file ?? 0,
        stats: mem,
      },
      blkio: { ioServiceBytesRecursive: io, ioServicedRecursive: [] },
      pids: { current: readOptionalNumber(f('pids.current')), limit: readOptionalNumber(f('pids.max')) },
    };
  }

  pids(): number[] {
    return readAllPids(this.dir);
  }

  async destroy(): Promise<void> {
    await removeDir(this.dir);
  }
}
