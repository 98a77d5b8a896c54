import { readFileSync } from 'node:fs';
import type { ContainerTopResponse } from '@berth/api-types';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux Docker runs on). */
const HZ = 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
  ttyNr: number;
  ticks: number;
  startTicks: number;
  cmd: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
    return {
      pid,
      ppid: Number(f[1]),
      uid,
      ttyNr: Number(f[4]),
      ticks: Number(f[11]) + Number(f[12]),
      startTicks: Number(f[19]),
      cmd: argv.length > 0 ? argv.join(' ') : `[${comm}]`,
    };
  } catch {
    return undefined; // exited while listed
  }
}

function userNames(): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , uid] = line.split(':');
      if (name && uid !== undefined && !out.has(Number(uid))) out.set(Number(uid), name);
    }
  } catch {
    // no names: ps prints numbers
  }
  return out;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ps's STIME: `HH:MM` for today, `MonDD` for this year, else the year. */
export function formatStime(start: Date, now: Date): string {
  if (start.toDateString() === now.toDateString()) return `${pad2(start.getHours())}:${pad2(start.getMinutes())}`;
  if (start.getFullYear() === now.getFullYear()) return `${MONTHS[start.getMonth()]}${pad2(start.getDate())}`;
  return String(start.getFullYear());
}

/** ps's TIME: cumulative CPU as `[DD-]HH:MM:SS`. */
export function formatCpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hms = `${pad2(Math.floor((s % 86400) / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  return days > 0 ? `${days}-${hms}` : hms;
}

/** ps's TTY from a tty_nr: `pts/N`, `ttyN`, or `?`. */
export function formatTty(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

function bootTimeSeconds(): number {
  const m = /^btime (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'));
  return Number(m?.[1] ?? 0);
}

/** `docker top`: the processes of `pids` as `ps -ef` prints them (UID PID PPID C STIME TTY TIME CMD). */
export function topProcesses(pids: readonly number[], now: Date = new Date()): ContainerTopResponse {
  const names = userNames();
  const boot = bootTimeSeconds();
  const uptime = now.getTime() / 1000 - boot;
  const procs = pids.map(readProc).filter((p): p is ProcInfo => p !== undefined).sort((a, b) => a.pid - b.pid);
  return {
    Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
    Processes: procs.map((p) => {
      const cpu = p.ticks / HZ;
      const elapsed = uptime - p.startTicks / HZ;
      return [
        names.get(p.uid) ?? String(p.uid),
        String(p.pid),
        String(p.ppid),
        String(elapsed > 0 ? Math.floor((cpu * 100) / elapsed) : 0),
        formatStime(new Date((boot + p.startTicks / HZ) * 1000), now),
        formatTty(p.ttyNr),
        formatCpuTime(cpu),
        p.cmd,
      ];
    }),
  };
}

/**
 * `docker top CONTAINER ps-options`: the host's `ps` with those options, its lines kept for
 * the container's pids (and the thread lines after them, `-` in the PID column), the last
 * column taking the rest of each line, as Docker does.
 */
export function psProcesses(pids: readonly number[], psArgs: string, runPs: (args: string[]) => string): ContainerTopResponse {
  const lines = runPs(psArgs.trim().split(/\s+/)).split('\n');
  const Titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidIndex = Titles.indexOf('PID');
  if (pidIndex < 0) throw new Error("Couldn't find PID field in ps output");
  const own = new Set(pids);
  const Processes: string[][] = [];
  let previousKept = false;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, Titles.length - 1), fields.slice(Titles.length - 1).join(' ')];
    const pidField = fields[pidIndex] ?? '';
    if (pidField === '-') {
      if (previousKept) Processes.push(row);
      continue;
    }
    if (!/^\d+$/.test(pidField)) throw new Error(`Unexpected pid '${pidField}'`);
    previousKept = own.has(Number(pidField));
    if (previousKept) Processes.push(row);
  }
  return { Titles, Processes };
}
