import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '@berth/api-server';
import { NotFoundError } from '@berth/api-types';
import type { ApiServer, Route } from '@berth/api-server';
import { sink } from '@berth/api-server/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineClient } from './client.js';
import { ConnectError, DaemonError } from './errors.js';
import { demuxStream } from './stdcopy.js';

const routes: Route[] = [
  {
    method: 'GET',
    path: '/containers/{id}/json',
    handler: (ctx) => {
      if (ctx.params['id'] === 'missing') throw new NotFoundError('No such container: missing');
      ctx.send(200, { Id: ctx.params['id'], all: ctx.queryBool('all'), version: ctx.apiVersion });
    },
  },
  {
    method: 'POST',
    path: '/echo',
    handler: async (ctx) => ctx.send(200, await ctx.json()),
  },
  {
    method: 'GET',
    path: '/events',
    handler: (ctx) => {
      const out = ctx.streamJson();
      for (let i = 0; i < 3; i++) out.write({ seq: i });
      out.end();
    },
  },
  {
    method: 'POST',
    path: '/exec/{id}/start',
    hijack: true,
    handler: async (ctx) => {
      const cfg = (await ctx.json<{ Tty?: boolean }>()) ?? {};
      const io = await ctx.hijack({ multiplexed: cfg.Tty !== true });
      io.stdin.on('data', (c: Buffer) => {
        io.stdout.write(c.toString().toUpperCase());
        io.stderr.write(`len=${c.length}`);
      });
      io.stdin.on('end', () => io.close());
    },
  },
];


let dir: string;
let server: ApiServer;
let client: EngineClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-client-'));
  server = createApiServer({ routes, version: { platformName: 'berth', version: '0.1.0', gitCommit: 'c0ffee1', buildTime: '' } });
  await server.listen({ kind: 'unix', path: join(dir, 's.sock') });
  client = new EngineClient({ kind: 'unix', path: join(dir, 's.sock') });
});

afterEach(async () => {
  client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EngineClient', () => {
  it('sends versioned JSON requests with query parameters', async () => {
    expect(await client.json('GET', '/containers/abc/json', { query: { all: true } })).toEqual({ Id: 'abc', all: true, version: '1.44' });
    expect(await client.json('POST', '/echo', { body: { Image: 'busybox', Cmd: null } })).toEqual({ Image: 'busybox', Cmd: null });
  });

  it("turns {message} errors into docker's 'Error response from daemon'", async () => {
    const err = await client.json('GET', '/containers/missing/json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DaemonError);
    expect((err as DaemonError).statusCode).toBe(404);
    expect((err as Error).message).toBe('Error response from daemon: No such container: missing');
  });

  it('reads JSON-lines streams', async () => {
    const seen: unknown[] = [];
    for await (const ev of client.jsonLines('GET', '/events')) seen.push(ev);
    expect(seen).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
  });

  it('hijacks exec start: stdin up, demultiplexed stdout and stderr down', async () => {
    const conn = await client.hijack('POST', '/exec/e1/start', { body: { Detach: false, Tty: false } });
    expect(conn.contentType).toBe('application/vnd.docker.multiplexed-stream');
    const out = sink();
    const err = sink();
    const done = demuxStream(conn.socket, out.stream, err.stream);
    conn.socket.end('hello');
    await done;
    expect(out.text()).toBe('HELLO');
    expect(err.text()).toBe('len=5');
  });

  it('says when no daemon answers', async () => {
    const gone = new EngineClient({ kind: 'unix', path: join(dir, 'nobody.sock') });
    const err = await gone.json('GET', '/version').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as Error).message).toBe("Cannot connect to the berth daemon. Is 'berth daemon' running on this host?");
    expect(await gone.ping()).toBe(false);
    expect(await client.ping()).toBe(true);
    gone.close();
  });

  it('talks TLS to a --tlsverify daemon with a client certificate', async () => {
    const ssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=berth-test-ca');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    for (const who of ['server', 'cert']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
      ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', 'ext.cnf');
    }
    const pem = (f: string): Buffer => readFileSync(join(dir, f));
    const url = await server.listen({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 0,
      tls: { cert: pem('server.pem'), key: pem('server-key.pem'), ca: pem('ca.pem'), verify: true },
    });
    const port = Number(/:(\d+)$/.exec(url)?.[1]);
    const files = { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'cert-key.pem') };
    const tls = new EngineClient({ kind: 'tcp', host: '127.0.0.1', port, tls: { verify: true, ...files } });
    try {
      expect(await tls.json('GET', '/containers/t/json')).toMatchObject({ Id: 't' });
    } finally {
      tls.close();
    }
    // Without a client certificate the daemon refuses the handshake.
    const anonymous = new EngineClient({ kind: 'tcp', host: '127.0.0.1', port, tls: { verify: true, ...files, certFile: join(dir, 'none.pem') } });
    try {
      await expect(anonymous.json('GET', '/version')).rejects.toThrow();
    } finally {
      anonymous.close();
    }
  });
});
