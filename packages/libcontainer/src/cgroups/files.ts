import { readFileSync, readdirSync, rmdirSync, writeFileSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function readText(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

function readNumber(file: string): number {
  const text = readText(file);
  return text === 'max' ? Number.MAX_SAFE_INTEGER : Number(text);
}

export function readOptionalNumber(file: string): number {
  try {
    return readNumber(file);
  } catch {
    return 0;
  }
}

/** Writes one cgroup file, naming it in the error (the kernel's EINVAL alone says little). */
export function writeCgroupFile(file: string, value: string | number): void {
  try {
    writeFileSync(file, String(value));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`failed to write ${JSON.stringify(String(value))} to ${file}: ${err.message}`, { cause: e });
  }
}

/** `key value` lines (memory.stat, cpu.stat) as numbers. */
export function readFlatKeyed(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  let text = '';
  try {
    text = readText(file);
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}

function readPids(procs: string): number[] {
  try {
    return readText(procs).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The pids in cgroup `dir` and every cgroup below it (runc's GetAllPids): a container may make sub-cgroups. */
export function readAllPids(dir: string): number[] {
  const pids = readPids(join(dir, 'cgroup.procs'));
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return pids;
  }
  for (const e of entries) if (e.isDirectory()) pids.push(...readAllPids(join(dir, e.name)));
  return pids;
}

/** SIGKILLs each pid, skipping those gone meanwhile. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** rmdir, retrying while the kernel still tears down the last tasks (EBUSY). */
export async function removeDir(dir: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      // children first: a cgroup with sub-cgroups cannot go
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await removeDir(`${dir}/${entry.name}`);
      }
      rmdirSync(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || i >= 50) throw e;
      await sleep(20);
    }
  }
}

/** Docker's system_cpu_usage: the host's total CPU time from /proc/stat, in nanoseconds. */
export function systemCpuUsage(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const ticks = line.split(/\s+/).slice(1, 8).reduce((sum, t) => sum + Number(t), 0);
  return (ticks * 1e9) / 100; // USER_HZ is 100 on Linux
}
