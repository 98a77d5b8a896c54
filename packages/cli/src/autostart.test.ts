import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonEnv, ensureDaemon, socketAnswers } from './autostart.js';

let dir: string;
let pids: number[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-autostart-'));
  pids = [];
});

afterEach(() => {
  const pidFile = join(dir, 'pid');
  if (existsSync(pidFile)) pids.push(Number(readFileSync(pidFile, 'utf8')));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in daemon we control: writes its pid, says hello in the log, listens on the socket. */
function fakeDaemon(): string {
  const script = join(dir, 'fake-daemon.cjs');
  writeFileSync(
    script,
    `const [sock, pidFile] = process.argv.slice(2);
     require('fs').writeFileSync(pidFile, String(process.pid));
     require('fs').mkdirSync(require('path').dirname(sock), { recursive: true });
     console.log('fake daemon up');
     require('net').createServer((c) => c.end()).listen(sock);
     process.on('SIGTERM', () => process.exit(0));`,
  );
  return script;
}

describe('ensureDaemon', () => {
  it('starts the daemon when nothing answers, says so once, and waits for its socket', async () => {
    const sock = join(dir, 'run', 'berth.sock');
    const pidFile = join(dir, 'pid');
    const lines: string[] = [];
    const started = await ensureDaemon({
      socketPath: sock,
      command: process.execPath,
      args: [fakeDaemon(), sock, pidFile],
      logFile: join(dir, 'root', 'berth-daemon.log'),
      notify: (l) => lines.push(l),
    });
    expect(started).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Starting the berth daemon \(pid \d+, log .*berth-daemon\.log\)$/);
    expect(await socketAnswers(sock)).toBe(true);
    // The log is the daemon's output.
    for (let i = 0; i < 40 && !readFileSync(join(dir, 'root', 'berth-daemon.log'), 'utf8').includes('up'); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(readFileSync(join(dir, 'root', 'berth-daemon.log'), 'utf8')).toContain('fake daemon up');

    // A second call finds it running and starts nothing.
    const again = await ensureDaemon({
      socketPath: sock,
      command: '/bin/false',
      args: [],
      logFile: join(dir, 'root', 'berth-daemon.log'),
      notify: (l) => lines.push(l),
    });
    expect(again).toBe(false);
    expect(lines).toHaveLength(1);
  });

  it('reports a daemon that exits instead of listening, pointing at its log', async () => {
    await expect(
      ensureDaemon({
        socketPath: join(dir, 'none.sock'),
        command: '/bin/sh',
        args: ['-c', 'echo broken; exit 3'],
        logFile: join(dir, 'd.log'),
        notify: () => undefined,
      }),
    ).rejects.toThrow(/did not start \(exit status 3\); see .*d\.log/);
    expect(readFileSync(join(dir, 'd.log'), 'utf8')).toBe('broken\n');
  });
});

describe('daemonEnv', () => {
  it('puts back the NODE_EXTRA_CA_CERTS bin/berth set aside, and leaves an environment without one alone', () => {
    expect(daemonEnv({ PATH: '/bin', BERTH_EXTRA_CA_CERTS: '/ca.pem' })).toEqual({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/ca.pem' });
    expect(daemonEnv({ PATH: '/bin', BERTH_EXTRA_CA_CERTS: '/old.pem', NODE_EXTRA_CA_CERTS: '/new.pem' })).toEqual({
      PATH: '/bin',
      BERTH_EXTRA_CA_CERTS: '/old.pem',
      NODE_EXTRA_CA_CERTS: '/new.pem',
    });
    const plain = { PATH: '/bin' };
    expect(daemonEnv(plain)).toBe(plain);
  });
});
