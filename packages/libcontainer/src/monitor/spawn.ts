import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { addon, monitorPath } from '../native.js';

/** Collects a report pipe's text until the writer closes it. */
function collect(pipe: Readable): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    pipe.setEncoding('utf8');
    pipe.on('data', (d: string) => (text += d));
    pipe.on('close', () => resolve(text));
    pipe.on('error', () => resolve(text));
  });
}

/** The fd-3 report of a monitor started with child_process. */
export function readReport(child: ChildProcess): Promise<string> {
  return collect(child.stdio[3] as Readable);
}

/**
 * Starts `berth-monitor run DIR`, which daemonizes (its own session, no stdio, not our child), so it
 * outlives the caller; resolves once it reports the container created or failed.
 */
export async function spawnMonitor(stateDir: string): Promise<{ pid: number } | { error: string }> {
  const { fd, pid } = addon().spawnMonitor(monitorPath(), ['run', stateDir]);
  const report = await collect(new Socket({ fd, readable: true, writable: false }));
  addon().reap(pid); // exited before the report pipe's EOF: it held the pipe open until then
  const ok = /^ok (\d+)\n/.exec(report);
  if (ok) return { pid: Number(ok[1]) };
  const err = /^error\t(.*)$/m.exec(report);
  return { error: err?.[1] ?? `1\t0\tmonitor exited without a report (${report.trim() || 'no output'})` };
}

/**
 * Starts `berth-monitor exec CONFIG` with the given stdio (fd 3 is added as the report pipe, and
 * with `control` fd 4 as the pipe of terminal sizes).
 */
export function spawnExec(config: string, stdio: StdioOptions, opts: { control?: boolean } = {}): ChildProcess {
  const base = Array.isArray(stdio) ? stdio.slice(0, 3) : [stdio, stdio, stdio];
  const extra = opts.control ? ['pipe', 'pipe'] : ['pipe'];
  return spawn(monitorPath(), ['exec', config], { stdio: [...base, ...extra] as StdioOptions });
}
