import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { monitorPath } from '../native.js';

/** Collects the monitor's fd-3 report until it closes the pipe. */
export function readReport(child: ChildProcess): Promise<string> {
  const pipe = child.stdio[3] as Readable;
  return new Promise((resolve) => {
    let text = '';
    pipe.setEncoding('utf8');
    pipe.on('data', (d: string) => (text += d));
    pipe.on('close', () => resolve(text));
    pipe.on('error', () => resolve(text));
  });
}

/** Starts `berth-monitor run DIR` detached (own session, no stdio), so it outlives the caller. */
export async function spawnMonitor(stateDir: string): Promise<{ pid: number; monitorPid: number } | { error: string }> {
  const child = spawn(monitorPath(), ['run', stateDir], { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const report = await readReport(child);
  child.unref();
  const ok = /^ok (\d+)\n/.exec(report);
  if (ok) return { pid: Number(ok[1]), monitorPid: child.pid ?? 0 };
  const err = /^error\t(.*)$/m.exec(report);
  return { error: err?.[1] ?? `1\t0\tmonitor exited without a report (${report.trim() || 'no output'})` };
}

/** Starts `berth-monitor exec CONFIG` with the given stdio (fd 3 is added as the report pipe). */
export function spawnExec(config: string, stdio: StdioOptions): ChildProcess {
  const base = Array.isArray(stdio) ? stdio.slice(0, 3) : [stdio, stdio, stdio];
  return spawn(monitorPath(), ['exec', config], { stdio: [...base, 'pipe'] as StdioOptions });
}
