import { rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { openCgroup } from './cgroups/index.js';
import { ConfigWriter, resolveCapabilities } from './config.js';
import { containerError, type ContainerError } from './errors.js';
import { readReport, spawnExec } from './monitor/spawn.js';
import type { Capabilities, NamespaceType, User } from './spec.js';
import { resolveUser } from './user.js';

/** What exec needs of a container (its state.json). */
export interface ExecTarget {
  stateDir: string;
  pid: number;
  cgroupPath: string;
  cgroupVersion?: 1 | 2;
  namespaces: NamespaceType[];
  spec: { rootfs: string; env?: string[]; cwd?: string; user?: string | User; privileged?: boolean; capabilities?: Capabilities; noNewPrivileges?: boolean };
  seccompFile?: string;
}

export interface ExecOptions {
  args: string[];
  /** Default: the container's env; these are added to it, replacing variables of the same name. */
  env?: string[];
  cwd?: string;
  user?: string | User;
  tty?: boolean;
  privileged?: boolean;
  capabilities?: Capabilities;
  noNewPrivileges?: boolean;
}

export interface ExecResult {
  exitCode: number;
  /** set when the process could not be started (exitCode 126/127 or 1) */
  error?: ContainerError;
}

export interface ExecProcess {
  /** host PID of the process, once it runs */
  readonly pid: Promise<number>;
  /** with a tty, stdin and stdout are relayed to and from a terminal inside the container; stderr is null */
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable | null;
  readonly result: Promise<ExecResult>;
  kill(signal?: NodeJS.Signals): void;
  /** Sets the size of its terminal (with a tty; a no-op otherwise). */
  resize(rows: number, cols: number): void;
}

const NS_FILE: Record<NamespaceType, string> = { mount: 'mnt', uts: 'uts', ipc: 'ipc', pid: 'pid', net: 'net', user: 'user', cgroup: 'cgroup' };

/** `base` with each of `extra` replacing the variable of the same name, or appended. */
function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const e of [...base, ...extra]) byName.set(e.split('=', 1)[0] as string, e);
  return [...byName.values()];
}

function execConfig(target: ExecTarget, opts: ExecOptions): ConfigWriter {
  const w = new ConfigWriter();
  w.add('pid', target.pid);
  for (const ns of target.namespaces) w.add('join', NS_FILE[ns], `/proc/${target.pid}/ns/${NS_FILE[ns]}`);
  for (const f of openCgroup(target.cgroupPath, target.cgroupVersion).procsFiles) w.add('cgroup_procs', f);
  for (const a of opts.args) w.add('arg', a);
  for (const e of mergeEnv(target.spec.env ?? [], opts.env ?? [])) w.add('env', e);
  w.add('cwd', opts.cwd || target.spec.cwd || '/');
  // the passwd and group files are read through the container's root, as the container sees them
  const user = resolveUser(`/proc/${target.pid}/root`, opts.user ?? target.spec.user);
  w.add('user', user.uid, user.gid, (user.additionalGids ?? []).join(','));
  const privileged = opts.privileged ?? target.spec.privileged;
  const caps = resolveCapabilities({ privileged, capabilities: opts.capabilities ?? target.spec.capabilities });
  w.add('caps', ...[caps.bounding, caps.effective, caps.permitted, caps.inheritable, caps.ambient].map((c) => c.toString(16)));
  if (opts.noNewPrivileges ?? target.spec.noNewPrivileges) w.add('no_new_privs');
  if (target.seccompFile && !privileged) w.add('seccomp', target.seccompFile);
  if (opts.tty) w.add('tty');
  return w;
}

/** Runs a process inside a running container: its namespaces, cgroup, user, capabilities and seccomp filter. */
export function execIn(target: ExecTarget, opts: ExecOptions): ExecProcess {
  const config = join(target.stateDir, `exec-${randomBytes(6).toString('hex')}.config`);
  writeFileSync(config, execConfig(target, opts).toBuffer());
  const child = spawnExec(config, ['pipe', 'pipe', 'pipe'], { control: opts.tty ?? false });
  const control = child.stdio[4] as Writable | null | undefined;
  control?.on('error', () => {});
  const report = readReport(child);
  // The pid line comes first; the pipe stays open (for a late error) until the helper exits.
  const pid = new Promise<number>((resolve, reject) => {
    let text = '';
    const pipe = child.stdio[3] as Readable;
    pipe.on('data', (d: string) => {
      text += d;
      const m = /^pid (\d+)$/m.exec(text);
      if (m) resolve(Number(m[1]));
    });
    pipe.once('close', () => reject(new Error(`exec did not start: ${text.trim()}`)));
  });
  pid.catch(() => {});
  const result = new Promise<ExecResult>((resolve) => {
    child.on('close', async (code, signal) => {
      rmSync(config, { force: true });
      control?.destroy();
      const text = await report;
      const err = /^error\t(.*)$/m.exec(text);
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      resolve(err?.[1] ? { exitCode, error: containerError(err[1], opts.args[0] ?? '') } : { exitCode });
    });
  });
  return {
    pid,
    stdin: child.stdin as Writable,
    stdout: child.stdout as Readable,
    stderr: opts.tty ? null : child.stderr,
    result,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
    },
    resize: (rows, cols) => {
      if (!control || control.destroyed || control.writableEnded) return;
      const size = Buffer.alloc(4);
      size.writeUInt16BE(Math.max(0, Math.min(rows, 0xffff)), 0);
      size.writeUInt16BE(Math.max(0, Math.min(cols, 0xffff)), 2);
      control.write(size);
    },
  };
}
