import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiServer } from '@berth/api-server';
import type { ApiServer } from '@berth/api-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMain } from './test-support/main.js';


const berth = runMain;

const ARCH = process.arch === 'x64' ? 'amd64' : process.arch;

let dir: string;
let sock: string;
let server: ApiServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  sock = join(dir, 's.sock');
  server = createApiServer({ routes: [], version: { platformName: 'berth', version: '0.1.0', gitCommit: 'c0ffee1', buildTime: '' } });
  await server.listen({ kind: 'unix', path: sock });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const clientLines = [
  'Client version: 0.1.0',
  'Client API version: 1.44',
  `Go version (client): ${process.version}`,
  `OS/Arch (client): linux/${ARCH}`,
];

describe('berth version', () => {
  it("prints the client and the server sections in the book's format", async () => {
    const r = await berth(['version'], { DOCKER_HOST: `unix://${sock}` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        ...clientLines,
        'Server version: 0.1.0',
        'Server API version: 1.44',
        `Go version (server): ${process.version}`,
        'Git commit (server): c0ffee1',
        `OS/Arch (server): linux/${ARCH}`,
        '',
      ].join('\n'),
    );
  });

  it('takes -H over BERTH_HOST over DOCKER_HOST', async () => {
    const nowhere = `unix://${join(dir, 'nowhere.sock')}`;
    expect((await berth(['-H', `unix://${sock}`, 'version'], { BERTH_HOST: nowhere, DOCKER_HOST: nowhere })).code).toBe(0);
    expect((await berth(['version'], { BERTH_HOST: `unix://${sock}`, DOCKER_HOST: nowhere })).code).toBe(0);
    expect((await berth(['version'], { BERTH_HOST: nowhere, DOCKER_HOST: `unix://${sock}` })).code).toBe(1);
    const two = await berth(['-H', `unix://${sock}`, '-H', nowhere, 'version'], {});
    expect(two.code).toBe(1);
    expect(two.stderr).toBe('Please specify only one -H\n');
  });

  it('prints the client lines, then the error, when the daemon is not there', async () => {
    const r = await berth(['-H', `unix://${join(dir, 'nowhere.sock')}`, 'version'], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${clientLines.join('\n')}\n`);
    expect(r.stderr).toBe("Cannot connect to the berth daemon. Is 'berth daemon' running on this host?\n");
  });

  it("reports a daemon's refusal as 'Error response from daemon'", async () => {
    // A daemon that speaks an older API refuses berth's version with Docker's 400.
    const old = createServer((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end('{"message":"client version 1.44 is too new. Maximum supported API version is 1.19"}\n');
    });
    const oldSock = join(dir, 'old.sock');
    await new Promise<void>((r) => old.listen(oldSock, () => r()));
    try {
      const r = await berth(['-H', `unix://${oldSock}`, 'version'], {});
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('Error response from daemon: client version 1.44 is too new. Maximum supported API version is 1.19\n');
    } finally {
      await new Promise<void>((r) => old.close(() => r()));
    }
  });

  it('shows usage for --help and refuses unknown flags and extra arguments', async () => {
    const help = await berth(['version', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toBe('\nUsage: berth version [OPTIONS]\n\nShow the berth version information.\n\n  --help=false       Print usage\n');
    const bad = await berth(['version', '-x'], {});
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe("flag provided but not defined: -x\nSee 'berth version --help'.\n");
    const extra = await berth(['version', 'extra'], {});
    expect(extra.code).toBe(1);
    expect(extra.stderr).toBe(`berth: "version" requires 0 arguments. See 'berth version --help'.\n`);
  });
});

describe('berth', () => {
  it('prints its usage with the command table', async () => {
    const r = await berth(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: berth \[OPTIONS\] COMMAND \[arg\.\.\.\]\n\nA self-sufficient runtime for linux containers\.\n\nOptions:\n/);
    expect(r.stdout).toContain('  -H, --host=[]');
    expect(r.stdout).toContain('\nCommands:\n    attach    Attach to a running container\n');
    expect(r.stdout).toContain('\n    version   Show the berth version information.\n');
    expect(r.stdout).toMatch(/\nRun 'berth COMMAND --help' for more information on a command\.\n$/);
  });

  it('refuses an unknown command and prints -v', async () => {
    const r = await berth(['frobnicate'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("berth: 'frobnicate' is not a berth command.\nSee 'berth --help'.\n");
    expect((await berth(['-v'], {})).stdout).toBe('berth version 0.1.0\n');
    const bad = await berth(['--bogus'], {});
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe("flag provided but not defined: --bogus\nSee 'berth --help'.\n");
  });

  it('runs as a process: bin/berth.js version against the server', async () => {
    const bin = fileURLToPath(new URL('../bin/berth.js', import.meta.url));
    const r = await promisify(execFile)(process.execPath, [bin, 'version'], { env: { DOCKER_HOST: `unix://${sock}` } });
    expect(r.stdout).toContain('Server version: 0.1.0\nServer API version: 1.44\n');
  });
});
