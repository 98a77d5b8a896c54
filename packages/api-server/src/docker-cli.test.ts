import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiServer } from './server.js';
import type { ApiServer } from './server.js';

const DOCKER = '/usr/local/bin/docker';
const run = promisify(execFile);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function docker(sock: string, config: string, ...args: string[]): Promise<Result> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: config, DOCKER_CONFIG: config, DOCKER_HOST: `unix://${sock}` };
  try {
    const r = await run(DOCKER, args, { env, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

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
      routes: [],
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
});
