import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, NotModifiedError, SystemVersion } from '@berth/api-types';
import type { Route } from './router.js';
import { createApiServer } from './server.js';
import type { ApiServer } from './server.js';

const VERSION = { platformName: 'berth', version: '0.1.0', gitCommit: 'abc1234', buildTime: '2026-01-01T00:00:00Z' };

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function call(options: HttpsRequestOptions & { body?: string }, secure = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Reads from a raw socket until `done` says the collected text is complete. */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer): void => {
      text += c.toString('latin1');
      if (done(text)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('end', () => resolve(text));
  });
}

function rawConnect(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path, () => resolve(s));
    s.once('error', reject);
  });
}

let dir: string;
let server: ApiServer | undefined;
let sock: string;
const opened: Socket[] = [];

async function start(routes: Route[]): Promise<void> {
  server = createApiServer({ routes, version: VERSION });
  await server.listen({ kind: 'unix', path: sock });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-api-'));
  sock = join(dir, 's.sock');
});

afterEach(async () => {
  for (const s of opened.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('api-server on a unix socket', () => {
  it('answers GET and HEAD /_ping with the negotiation headers', async () => {
    await start([]);
    const get = await call({ socketPath: sock, path: '/_ping' });
    expect(get.status).toBe(200);
    expect(get.body).toBe('OK');
    expect(get.headers['api-version']).toBe('1.44');
    expect(get.headers['ostype']).toBe('linux');
    expect(get.headers['builder-version']).toBe('1');
    expect(get.headers['docker-experimental']).toBe('false');
    expect(get.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(get.headers['pragma']).toBe('no-cache');
    expect(get.headers['server']).toBe('berth/0.1.0 (linux)');
    const head = await call({ socketPath: sock, path: '/_ping', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['api-version']).toBe('1.44');
  });

  it('serves /version shaped as Docker 28', async () => {
    await start([]);
    const r = await call({ socketPath: sock, path: '/v1.44/version' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const v = JSON.parse(r.body) as Record<string, unknown>;
    expect(SystemVersion.safeParse(v).success).toBe(true);
    expect(v).toMatchObject({
      Version: '0.1.0',
      ApiVersion: '1.44',
      MinAPIVersion: '1.12',
      GitCommit: 'abc1234',
      GoVersion: process.version,
      Os: 'linux',
      Platform: { Name: 'berth' },
      Components: [{ Name: 'Engine', Version: '0.1.0', Details: { ApiVersion: '1.44', Experimental: 'false' } }],
    });
    expect(typeof v['KernelVersion']).toBe('string');
  });

  it('refuses versions outside 1.12-1.44 with 400 and a JSON message', async () => {
    await start([]);
    const old = await call({ socketPath: sock, path: '/v1.11/version' });
    expect(old.status).toBe(400);
    expect(JSON.parse(old.body)).toEqual({
      message: 'client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version',
    });
    expect(old.headers['api-version']).toBe('1.44');
    const newer = await call({ socketPath: sock, path: '/v1.51/version' });
    expect(newer.status).toBe(400);
    expect(JSON.parse(newer.body)).toEqual({ message: 'client version 1.51 is too new. Maximum supported API version is 1.44' });
  });

  it('answers unknown paths and methods with 404 page not found', async () => {
    await start([]);
    const r = await call({ socketPath: sock, path: '/v1.19/info' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ message: 'page not found' });
    const m = await call({ socketPath: sock, path: '/version', method: 'DELETE' });
    expect(m.status).toBe(404);
  });

  it('hands handlers params, query, JSON body and the API version', async () => {
    const seen: unknown[] = [];
    await start([
      {
        method: 'POST',
        path: '/images/{name:.*}/tag',
        handler: async (ctx) => {
          seen.push(ctx.params, ctx.query.get('repo'), ctx.queryBool('force'), ctx.apiVersion, await ctx.json());
          ctx.send(201, { ok: true });
        },
      },
    ]);
    const r = await call({
      socketPath: sock,
      method: 'POST',
      path: '/v1.19/images/library/busybox/tag?repo=me%2Fbb&force=1',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body)).toEqual({ ok: true });
    expect(seen).toEqual([{ name: 'library/busybox' }, 'me/bb', true, '1.19', { a: 1 }]);
  });

  it('maps thrown errors to their status, and answers 204 when a handler says nothing', async () => {
    await start([
      { method: 'GET', path: '/containers/{id}/json', handler: () => { throw new NotFoundError('No such container: x'); } },
      { method: 'POST', path: '/boom', handler: () => { throw new Error('it broke'); } },
      { method: 'POST', path: '/containers/{id}/start', handler: () => undefined },
      { method: 'POST', path: '/bad', handler: async (ctx) => { await ctx.json(); } },
      { method: 'POST', path: '/containers/{id}/stop', handler: () => { throw new NotModifiedError('already stopped'); } },
      { method: 'POST', path: '/containers/{id}/wait', handler: async (ctx) => { await ctx.hijack({ multiplexed: false }); } },
    ]);
    const nf = await call({ socketPath: sock, path: '/containers/x/json' });
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.body)).toEqual({ message: 'No such container: x' });
    const boom = await call({ socketPath: sock, path: '/boom', method: 'POST' });
    expect(boom.status).toBe(500);
    expect(JSON.parse(boom.body)).toEqual({ message: 'it broke' });
    const started = await call({ socketPath: sock, path: '/containers/x/start', method: 'POST' });
    expect(started.status).toBe(204);
    const bad = await call({ socketPath: sock, path: '/bad', method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ message: expect.stringMatching(/^invalid JSON: /) as unknown });
    const stopped = await call({ socketPath: sock, path: '/containers/x/stop', method: 'POST' });
    expect(stopped.status).toBe(304);
    expect(stopped.body).toBe('');
    const misuse = await call({ socketPath: sock, path: '/containers/x/wait', method: 'POST' });
    expect(misuse.status).toBe(500);
    expect(JSON.parse(misuse.body)).toEqual({ message: 'POST /containers/x/wait: the route is not marked hijack' });
  });

  it('sends CORS headers and answers preflights when --api-cors-header is set', async () => {
    server = createApiServer({ routes: [], version: VERSION, corsOrigin: '*' });
    await server.listen({ kind: 'unix', path: sock });
    const pre = await call({ socketPath: sock, path: '/v1.19/containers/json', method: 'OPTIONS' });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-methods']).toBe('HEAD, GET, POST, DELETE, PUT, OPTIONS');
    const v = await call({ socketPath: sock, path: '/version' });
    expect(v.headers['access-control-allow-origin']).toBe('*');
    await server.close();
    await start([]);
    expect((await call({ socketPath: sock, path: '/version' })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await call({ socketPath: sock, path: '/version', method: 'OPTIONS' })).status).toBe(404);
  });

  it('streams a chunked upload to the handler', async () => {
    await start([
      {
        method: 'POST',
        path: '/build',
        handler: async (ctx) => {
          let bytes = 0;
          for await (const chunk of ctx.bodyStream()) bytes += (chunk as Buffer).length;
          ctx.send(200, { bytes, type: ctx.requestHeaders['content-type'] });
        },
      },
    ]);
    const r = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest({ socketPath: sock, method: 'POST', path: '/build', headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(1000, i));
      req.end();
    });
    expect(JSON.parse(r.body)).toEqual({ bytes: 10_000, type: 'application/x-tar' });
  });

  it('keeps the connection alive across requests', async () => {
    await start([]);
    const s = await rawConnect(sock);
    opened.push(s);
    for (let i = 0; i < 2; i++) {
      s.write('GET /_ping HTTP/1.1\r\nHost: d\r\n\r\n');
      const text = await readUntil(s, (t) => t.endsWith('\r\n\r\nOK'));
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).not.toMatch(/Connection: close/i);
    }
    expect(s.destroyed).toBe(false);
  });

  it('streams JSON lines with headers first and each line as it is written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    await start([
      {
        method: 'GET',
        path: '/events',
        handler: async (ctx) => {
          const out = ctx.streamJson();
          out.write({ status: 'start', id: 'a' });
          await gate;
          out.write({ status: 'die', id: 'a' });
          out.end();
        },
      },
    ]);
    const s = await rawConnect(sock);
    opened.push(s);
    s.write('GET /events HTTP/1.1\r\nHost: d\r\n\r\n');
    const first = await readUntil(s, (t) => t.includes('{"status":"start","id":"a"}\n'));
    expect(first).toMatch(/Transfer-Encoding: chunked/);
    expect(first).toMatch(/Content-Type: application\/json/);
    expect(first).not.toContain('die');
    release();
    const rest = await readUntil(s, (t) => t.includes('0\r\n\r\n'));
    expect(rest).toContain('{"status":"die","id":"a"}\n');
  });

  it('streams container output framed on a chunked 200 (logs)', async () => {
    await start([
      {
        method: 'GET',
        path: '/containers/{id}/logs',
        handler: (ctx) => {
          const out = ctx.streamOutput({ multiplexed: !ctx.queryBool('tty') });
          if (ctx.queryBool('big')) {
            // Ending right after a write that must queue still delivers all of it.
            out.stdout.write(Buffer.alloc(4 << 20, 0x61));
            out.stdout.write('x'); // queued in the stdout writer behind the big frame
            out.stderr.write('e');
            out.end();
            return;
          }
          out.stdout.write('o');
          out.stderr.write('e');
          out.end();
        },
      },
    ]);
    const framed = await call({ socketPath: sock, path: '/containers/c/logs?stdout=1' });
    expect(framed.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    expect(framed.headers['transfer-encoding']).toBe('chunked');
    expect(framed.body).toBe('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0001o\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0001e');
    const old = await call({ socketPath: sock, path: '/v1.41/containers/c/logs' });
    expect(old.headers['content-type']).toBe('application/vnd.docker.raw-stream');
    const tty = await call({ socketPath: sock, path: '/containers/c/logs?tty=1' });
    expect(tty.body).toBe('oe');
    const big = await call({ socketPath: sock, path: '/containers/c/logs?big=1' });
    expect(big.body.length).toBe(8 + (4 << 20) + 2 * (8 + 1));
    expect(big.body.endsWith('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0001x')).toBe(true);
  });

  it('reports a failure after the headers in-band on a JSON stream', async () => {
    await start([
      {
        method: 'POST',
        path: '/images/create',
        handler: (ctx) => {
          ctx.streamJson().write({ status: 'Pulling' });
          throw new NotFoundError('not found: nope');
        },
      },
    ]);
    const r = await call({ socketPath: sock, method: 'POST', path: '/images/create' });
    expect(r.status).toBe(200);
    expect(r.body.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { status: 'Pulling' },
      { errorDetail: { message: 'not found: nope' }, error: 'not found: nope' },
    ]);
  });

  const echo: Route = {
    method: 'POST',
    path: '/exec/{id}/start',
    hijack: true,
    handler: async (ctx) => {
      const cfg = (await ctx.json<{ Tty?: boolean }>()) ?? {};
      const io = await ctx.hijack({ multiplexed: cfg.Tty !== true });
      io.stdin.on('data', (c: Buffer) => {
        io.stdout.write(c);
        io.stderr.write(`err:${c.toString()}`);
      });
      io.stdin.on('end', () => io.close());
    },
  };

  it('hijacks with 101 UPGRADED and a multiplexed stream for Upgrade: tcp', async () => {
    await start([echo]);
    const s = await rawConnect(sock);
    opened.push(s);
    const body = '{"Detach":false,"Tty":false}';
    // The first stdin bytes travel in the same write as the request.
    s.write(
      `POST /v1.44/exec/e1/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}hi`,
    );
    const text = await readUntil(s, (t) => t.includes('err:hi'));
    const [head, stream] = text.split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 101 UPGRADED\r\n/);
    expect(head).toMatch(/Content-Type: application\/vnd\.docker\.multiplexed-stream/);
    expect(head).toMatch(/Connection: Upgrade/);
    expect(head).toMatch(/Upgrade: tcp/);
    expect(head).toMatch(/Api-Version: 1\.44/);
    const bytes = Buffer.from(stream, 'latin1');
    expect([...bytes.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 2]);
    expect(bytes.subarray(8, 10).toString()).toBe('hi');
    expect(bytes[10]).toBe(2);
    s.end();
    await new Promise<void>((r) => s.once('close', () => r()));
  });

  it('sends raw-stream for a multiplexed hijack below API 1.42, and raw bytes for a TTY', async () => {
    await start([echo]);
    for (const [version, tty, type] of [
      ['1.41', false, 'raw-stream'],
      ['1.44', true, 'raw-stream'],
    ] as const) {
      const s = await rawConnect(sock);
      opened.push(s);
      const body = JSON.stringify({ Tty: tty });
      s.write(`POST /v${version}/exec/e1/start HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      const head = await readUntil(s, (t) => t.includes('\r\n\r\n'));
      expect(head).toContain(`Content-Type: application/vnd.docker.${type}`);
      s.write('x');
      const out = await readUntil(s, (t) => t.includes('err:x'));
      expect(out.startsWith(tty ? 'x' : '\u0001')).toBe(true);
      s.end();
    }
  });

  it('streams on a 200 without Upgrade, taking stdin from a chunked request body', async () => {
    await start([echo]);
    const s = await rawConnect(sock);
    opened.push(s);
    s.write('POST /exec/e1/start HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n');
    const head = await readUntil(s, (t) => t.includes('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain('Content-Type: application/vnd.docker.multiplexed-stream');
    expect(head).not.toMatch(/Transfer-Encoding/i);
    s.write('3\r\nabc\r\n');
    const out = await readUntil(s, (t) => t.includes('err:abc'));
    expect(out).toContain('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003abc');
    s.write('0\r\n\r\n');
    // The stream ends with the connection, as Docker's hijacked 200 does.
    await new Promise<void>((r) => s.once('end', () => r()));
  });

  it('answers an old hijack without Upgrade by hand and reads raw stdin after the request', async () => {
    await start([echo]);
    const s = await rawConnect(sock);
    opened.push(s);
    const body = '{"Tty":false}';
    s.write(`POST /v1.19/exec/e1/start HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const head = await readUntil(s, (t) => t.includes('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain('Content-Type: application/vnd.docker.raw-stream');
    expect(head).not.toMatch(/Transfer-Encoding/i);
    // Not HTTP: stdin bytes straight on the connection, as docker-py's attach_socket sends them.
    s.write('GET / x');
    const out = await readUntil(s, (t) => t.includes('err:GET / x'));
    expect(out).toContain('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0007GET / x');
    s.end();
    await new Promise<void>((r) => s.once('close', () => r()));
    expect((await call({ socketPath: sock, path: '/_ping' })).body).toBe('OK');
  });

  it('survives a client that drops a hijacked connection, telling the handler', async () => {
    let sawEnd = false;
    let aborted = false;
    let closed!: () => void;
    const stdinClosed = new Promise<void>((r) => (closed = r));
    await start([
      {
        method: 'POST',
        path: '/containers/{id}/attach',
        hijack: true,
        handler: async (ctx) => {
          const io = await ctx.hijack({ multiplexed: true });
          io.stdin.on('end', () => (sawEnd = true));
          io.stdin.on('close', () => {
            aborted = ctx.signal.aborted;
            // Output after the client left is dropped, not an error that kills the daemon.
            io.stdout.write('late');
            closed();
          });
          io.stdin.resume();
        },
      },
    ]);
    // Over TCP a reset is a drop, unlike a unix socket where any close reads as EOF.
    const url = await (server as ApiServer).listen({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    const port = Number(/:(\d+)$/.exec(url)?.[1]);
    const s = await new Promise<Socket>((resolve, reject) => {
      const c = connect(port, '127.0.0.1', () => resolve(c));
      c.once('error', reject);
    });
    opened.push(s);
    s.write('POST /containers/c/attach?stream=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    await readUntil(s, (t) => t.includes('\r\n\r\n'));
    s.resetAndDestroy();
    await stdinClosed;
    expect(sawEnd).toBe(false);
    expect(aborted).toBe(true);
    expect((await call({ socketPath: sock, path: '/_ping' })).body).toBe('OK');
  });

  it('creates the socket 0660, replaces a stale one and refuses a live one', async () => {
    // A stale socket: a process bound it and exited without unlinking, as a killed daemon does.
    execFileSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.exit(0))`]);
    expect(statSync(sock).isSocket()).toBe(true);
    await start([]);
    expect(statSync(sock).mode & 0o777).toBe(0o660);
    expect((await call({ socketPath: sock, path: '/_ping' })).body).toBe('OK');
    const second = createApiServer({ routes: [], version: VERSION });
    await expect(second.listen({ kind: 'unix', path: sock })).rejects.toThrow(/address already in use/);
    await second.close();
  });
});

describe('api-server on TCP and TLS', () => {
  it('listens on TCP', async () => {
    server = createApiServer({ routes: [], version: VERSION });
    const url = await server.listen({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    const port = Number(/:(\d+)$/.exec(url)?.[1]);
    expect((await call({ host: '127.0.0.1', port, path: '/_ping' })).body).toBe('OK');
  });

  it('requires a client certificate signed by the CA with --tlsverify', async () => {
    const ssl = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    };
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=berth-test-ca');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    for (const who of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
      ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', 'ext.cnf');
    }
    const read = (f: string): Buffer => execFileSync('cat', [join(dir, f)]);
    server = createApiServer({ routes: [], version: VERSION });
    const url = await server.listen({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 0,
      tls: { cert: read('server.pem'), key: read('server-key.pem'), ca: read('ca.pem'), verify: true },
    });
    const port = Number(/:(\d+)$/.exec(url)?.[1]);
    const ok = await call({ host: '127.0.0.1', port, path: '/_ping', ca: read('ca.pem'), cert: read('client.pem'), key: read('client-key.pem') }, true);
    expect(ok.body).toBe('OK');
    await expect(call({ host: '127.0.0.1', port, path: '/_ping', ca: read('ca.pem') }, true)).rejects.toThrow();
  });
});
