import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Route } from './router.js';
import { createApiServer } from './server.js';
import type { ApiServer } from './server.js';
import { runProgram, type Result } from './test-support/index.js';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

function dockerEnv(sock: string, config: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: config, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${sock}` };
}

/** The docker CLI against the server at sock (and with `input` on its stdin). */
const docker = (sock: string, config: string, ...args: string[]): Promise<Result> => runProgram(DOCKER, args, { env: dockerEnv(sock, config), timeout: 20_000 });
const dockerWithInput = (sock: string, config: string, input: string, ...args: string[]): Promise<Result> =>
  runProgram(DOCKER, args, { env: dockerEnv(sock, config), input, timeout: 20_000 });

// Runs a command on a pseudo-terminal of size 30x100; once the output shows READY it types
// "ab" then "q", and prints everything the terminal showed.
const PTY_DRIVER = String.raw`
import fcntl, os, pty, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execve(sys.argv[1], sys.argv[1:], os.environ)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))
out = b''
typed = False
deadline = time.time() + 15
while time.time() < deadline:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not typed and b'READY' in out:
        typed = True
        os.write(fd, b'ab')
        time.sleep(0.2)
        os.write(fd, b'q')
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.stdout.write('\nEXIT %d\n' % os.waitstatus_to_exitcode(status))
`;

/**
 * Just enough of exec for `docker exec -i` to drive the transport: the container is always
 * running, the exec upper-cases its stdin onto stdout, counts it on stderr and exits 3.
 */
const resizes: string[] = [];
const execRoutes: Route[] = [
  {
    method: 'GET',
    path: '/containers/{id}/json',
    handler: (ctx) => ctx.send(200, { Id: ctx.params['id'], State: { Running: true }, Config: { Tty: false } }),
  },
  {
    method: 'POST',
    path: '/containers/{id}/exec',
    handler: (ctx) => ctx.send(201, { Id: 'e1' }),
  },
  {
    method: 'POST',
    path: '/exec/{id}/start',
    hijack: true,
    handler: async (ctx) => {
      const cfg = (await ctx.json<{ Tty?: boolean }>()) ?? {};
      const io = await ctx.hijack({ multiplexed: cfg.Tty !== true });
      if (cfg.Tty === true) {
        // A terminal session: raw bytes both ways; 'q' ends it.
        io.stdout.write('READY');
        io.stdin.on('data', (c: Buffer) => {
          const text = c.toString();
          io.stdout.write(`<${text.replace('q', '')}>`);
          if (text.includes('q')) io.close();
        });
        return;
      }
      let n = 0;
      io.stdin.on('data', (c: Buffer) => {
        n += c.length;
        io.stdout.write(c.toString().toUpperCase());
      });
      io.stdin.on('end', () => {
        io.stderr.write(`read ${n} bytes\n`);
        io.close();
      });
    },
  },
  {
    method: 'POST',
    path: '/exec/{id}/resize',
    handler: (ctx) => {
      resizes.push(`${ctx.query.get('h')}x${ctx.query.get('w')}`);
      ctx.noContent(200);
    },
  },
  {
    method: 'GET',
    path: '/exec/{id}/json',
    handler: (ctx) => ctx.send(200, { ID: ctx.params['id'], Running: false, ExitCode: 3 }),
  },
];

// The real docker CLI (v28) against the bare server: negotiation, /version, and errors for
// routes the engine has not mounted.
describe.skipIf(!existsSync(DOCKER))('docker CLI against api-server', () => {
  let dir: string;
  let sock: string;
  let server: ApiServer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-docker-cli-'));
    sock = join(dir, 's.sock');
    server = createApiServer({
      routes: execRoutes,
      version: { platformName: 'berth', version: '0.1.0', gitCommit: 'abc1234', buildTime: '2026-01-01T00:00:00Z' },
    });
    await server.listen({ kind: 'unix', path: sock });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('docker version prints the server section from /version', async () => {
    const r = await docker(sock, dir, 'version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Server: berth$/m);
    expect(r.stdout).toMatch(/^ Engine:$/m);
    expect(r.stdout).toMatch(/^ {2}Version:\s+0\.1\.0$/m);
    expect(r.stdout).toMatch(/^ {2}API version:\s+1\.44 \(minimum version 1\.12\)$/m);
    expect(r.stdout).toMatch(/^ {2}Git commit:\s+abc1234$/m);
    expect(r.stdout).toMatch(/^ {2}OS\/Arch:\s+linux\//m);
    // The client negotiated down to the server's version.
    expect(r.stdout).toMatch(/^ API version:\s+1\.44 \(downgraded from/m);
  });

  it('docker ps and docker info fail gracefully on routes not mounted', async () => {
    const ps = await docker(sock, dir, 'ps');
    expect(ps.code).toBe(1);
    expect(ps.stderr).toContain('Error response from daemon: page not found');
    const info = await docker(sock, dir, 'info');
    expect(info.code).toBe(1);
    expect(info.stdout + info.stderr).toContain('page not found');
  });

  it('docker exec -i streams stdin up and demultiplexed output down a 101 hijack', async () => {
    const r = await dockerWithInput(sock, dir, 'hello berth\n', 'exec', '-i', 'c1', 'cat');
    expect(r.stdout).toBe('HELLO BERTH\n');
    expect(r.stderr).toBe('read 12 bytes\n');
    expect(r.code).toBe(3);
  });

  it.skipIf(!existsSync('/usr/bin/python3'))('docker exec -it gets a raw TTY stream over the hijack and sends its size', async () => {
    const r = await run('python3', ['-c', PTY_DRIVER, DOCKER, 'exec', '-it', 'c1', 'sh'], {
      env: { ...dockerEnv(sock, dir), TERM: 'xterm' },
      timeout: 20_000,
    });
    // The terminal is raw: no local echo of "ab", only what the exec sent back (in <chunks>).
    const shown = r.stdout.replace(/[<>]/g, '');
    expect(shown).toContain('READYab');
    expect(shown).not.toContain('READYabab');
    expect(r.stdout).toMatch(/EXIT 3\n$/);
    expect(resizes).toContain('30x100');
  });
});
