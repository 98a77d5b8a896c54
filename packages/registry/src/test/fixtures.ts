// Test fixtures: a real distribution registry on 127.0.0.1, small images built from tar buffers,
// and an in-memory image store. Used only by the *.test.ts files.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { Agent, request } from 'undici';
import type { PulledImage, PulledLayer, PullStore } from '../pull.js';
import type { PushLayer, PushSource } from '../push.js';

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

/** A ustar archive of regular files. */
export function tarOf(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function digestOf(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export interface TestLayer extends PushLayer {
  blob: Buffer;
  tar: Buffer;
  diffID: string;
}

export function gzipLayer(files: Record<string, string | Buffer>): TestLayer {
  const tar = tarOf(files);
  const blob = gzipSync(tar);
  return { blob, tar, digest: digestOf(blob), size: blob.length, diffID: digestOf(tar), open: () => Readable.from([blob]) };
}

export interface TestImage extends PushSource {
  layers: TestLayer[];
  configDigest: string;
}

/** An image config and gzip layers, as `docker build` would produce them. */
export function makeImage(layers: TestLayer[], platform: { architecture: string; variant?: string } = { architecture: 'amd64' }): TestImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffID) },
      history: layers.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'test' })),
    }),
  );
  return { config, configDigest: digestOf(config), layers };
}

/** An image store in memory that records what a pull hands it. */
export class MemoryStore implements PullStore {
  readonly layers = new Map<string, { layer: PulledLayer; bytes: Buffer }>();
  readonly images: PulledImage[] = [];
  readonly order: number[] = [];
  private readonly tags = new Map<string, string>();

  async layerDiffID(digest: string): Promise<string | undefined> {
    return this.layers.get(digest)?.layer.diffID;
  }
  async putLayer(layer: PulledLayer, data: Readable): Promise<void> {
    const parts: Buffer[] = [];
    for await (const c of data) parts.push(c as Buffer);
    this.layers.set(layer.digest, { layer, bytes: Buffer.concat(parts) });
    this.order.push(layer.index);
  }
  async putImage(image: PulledImage): Promise<boolean> {
    this.images.push(image);
    const key = `${image.reference.domain}/${image.reference.path}:${image.reference.tag ?? image.reference.digest ?? ''}`;
    const before = this.tags.get(key);
    this.tags.set(key, image.config.digest);
    return before !== image.config.digest;
  }
}

/**
 * libtrust's JWS "pretty" form of a schema1 manifest: the payload up to its closing brace, then a
 * signatures array; the protected header records how to cut the payload back out.
 */
export function signSchema1(payload: string): string {
  const formatLength = payload.length - 2;
  const protectedHeader = Buffer.from(
    JSON.stringify({ formatLength, formatTail: Buffer.from(payload.slice(formatLength)).toString('base64url'), time: '2026-01-03T00:00:00Z' }),
  ).toString('base64url');
  return `${payload.slice(0, formatLength)},\n   "signatures": [\n      {\n         "header": {"alg": "ES256"},\n         "signature": "c2ln",\n         "protected": "${protectedHeader}"\n      }\n   ]\n}`;
}
