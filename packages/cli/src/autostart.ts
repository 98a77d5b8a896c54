import { closeSync, mkdirSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface AutostartOptions {
  /** The default socket the daemon will listen on. */
  socketPath: string;
  /** The daemon command line (`berth daemon`, normally). */
  command: string;
  args: readonly string[];
  /** Where the daemon's output goes (in its root directory). */
  logFile: string;
  /** Where the one-line notice goes. */
  notify: (line: string) => void;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Whether something accepts connections on a unix socket. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * The environment for a daemon the client starts: the client's, with the NODE_EXTRA_CA_CERTS that
 * bin/berth set aside for the client's start-up put back (the daemon's registry connections use it).
 */
export function daemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const saved = env['BERTH_EXTRA_CA_CERTS'];
  if (saved === undefined || env['NODE_EXTRA_CA_CERTS'] !== undefined) return env;
  const { BERTH_EXTRA_CA_CERTS: _saved, ...rest } = env;
  return { ...rest, NODE_EXTRA_CA_CERTS: saved };
}

/**
 * The CLI's auto-start rule: when nothing answers on the default socket, start the daemon
 * detached (its output appended to `logFile`), say so in one line, and wait until its socket
 * answers. Resolves to whether it started one.
 */
export async function ensureDaemon(opts: AutostartOptions): Promise<boolean> {
  if (await socketAnswers(opts.socketPath)) return false;
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const log = openSync(opts.logFile, 'a');
  // Loaded here, not at import: every CLI run would pay for node:child_process otherwise.
  const { spawn } = process.getBuiltinModule('node:child_process');
  let exit: string | undefined;
  try {
    const child = spawn(opts.command, [...opts.args], {
      detached: true,
      stdio: ['ignore', log, log],
      env: daemonEnv(opts.env ?? process.env),
    });
    child.once('error', (err) => (exit = err.message));
    child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exit status ${code}`));
    child.unref();
    opts.notify(`Starting the berth daemon (pid ${child.pid ?? '?'}, log ${opts.logFile})`);
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (await socketAnswers(opts.socketPath)) return true;
    if (exit !== undefined) throw new Error(`the berth daemon did not start (${exit}); see ${opts.logFile}`);
    await sleep(50);
  }
  throw new Error(`the berth daemon did not answer on ${opts.socketPath} in time; see ${opts.logFile}`);
}
