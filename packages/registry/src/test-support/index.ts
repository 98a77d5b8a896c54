// A real distribution registry (Debian's docker-registry) on 127.0.0.1 for tests, in this
// package and in the engine's and CLI's (exported as `@berth/registry/test-support`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcryptjs';
import { Agent, request } from 'undici';

const REGISTRY_BIN = '/usr/bin/docker-registry';

/** Installs Debian's docker-registry (distribution's registry server), and openssl for the TLS test, when missing. */
export function ensureRegistryBinary(): void {
  const missing = [
    existsSync(REGISTRY_BIN) ? undefined : 'docker-registry',
    existsSync('/usr/bin/openssl') ? undefined : 'openssl',
  ].filter((p): p is string => p !== undefined);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'ignore', env, timeout: 300_000 });
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface RunningRegistry {
  host: string;
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a registry with its own storage dir and port; with `user`, behind htpasswd basic auth;
 * with `tls`, over https with a self-signed certificate.
 */
export async function startRegistry(user?: { name: string; password: string }, tls = false): Promise<RunningRegistry> {
  ensureRegistryBinary();
  const dir = await mkdtemp(join(tmpdir(), 'berth-registry-test-'));
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const lines = [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: berth-test-secret',
    ];
    if (tls) {
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      lines.push('  tls:', `    certificate: ${cert}`, `    key: ${key}`);
    }
    if (user) {
      await writeFile(join(dir, 'htpasswd'), `${user.name}:${bcrypt.hashSync(user.password, 5)}\n`);
      lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${join(dir, 'htpasswd')}`);
    }
    await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
    child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const agent = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
        try {
          const res = await request(`${url}/v2/`, { dispatcher: agent });
          await res.body.dump();
          if (res.statusCode === 200 || res.statusCode === 401) break;
        } catch {
          // not listening yet
        }
        if (i > 100) throw new Error(`docker-registry did not start: ${stderr}`);
        await sleep(50);
      }
    } finally {
      await agent.close();
    }
    const proc = child;
    return {
      host: `127.0.0.1:${port}`,
      url,
      dir,
      async stop() {
        if (proc.exitCode === null && proc.pid !== undefined) {
          const exited = new Promise((resolve) => proc.once('exit', resolve));
          process.kill(proc.pid, 'SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
