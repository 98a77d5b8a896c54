import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Route } from './router.js';
import { createApiServer } from './server.js';
import type { ApiServer } from './server.js';
import { sink } from './test-support/index.js';


/** An exec that answers the first stdin chunk upper-cased on stdout, a note on stderr, then ends. */
const routes: Route[] = [
  { method: 'POST', path: '/containers/{id}/exec', handler: (ctx) => ctx.send(201, { Id: 'e1' }) },
  {
    method: 'POST',
    path: '/exec/{id}/start',
    hijack: true,
    handler: async (ctx) => {
      const cfg = (await ctx.json<{ Tty?: boolean }>()) ?? {};
      const io = await ctx.hijack({ multiplexed: cfg.Tty !== true });
      io.stdin.once('data', (c: Buffer) => {
        io.stdout.write(c.toString().toUpperCase());
        io.stderr.write('done');
        io.close();
      });
    },
  },
];

// dockerode (docker-modem) sends unversioned paths and, without hijack, keeps writing stdin on
// the connection after a Content-Length body: the old hijack.
describe('dockerode against api-server', () => {
  let dir: string;
  let server: ApiServer;
  let docker: Docker;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-dockerode-'));
    server = createApiServer({ routes, version: { platformName: 'berth', version: '0.1.0', gitCommit: 'abc1234', buildTime: '' } });
    await server.listen({ kind: 'unix', path: join(dir, 's.sock') });
    docker = new Docker({ socketPath: join(dir, 's.sock') });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pings and reads /version on unversioned paths', async () => {
    expect(String(await docker.ping())).toBe('OK');
    const v = await docker.version();
    expect(v.ApiVersion).toBe('1.44');
    expect(v.Version).toBe('0.1.0');
  });

  async function runExec(hijack: boolean): Promise<{ out: string; err: string }> {
    const exec = await docker.getContainer('c1').exec({ Cmd: ['cat'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack, stdin: true, Tty: false })) as Duplex;
    const out = sink();
    const err = sink();
    docker.modem.demuxStream(stream, out.stream, err.stream);
    const ended = new Promise<void>((r) => {
      stream.once('end', () => r());
      stream.once('close', () => r());
    });
    stream.write('hello');
    await ended;
    return { out: out.text(), err: err.text() };
  }

  it('exec start without hijack: stdin after the body, demultiplexed output', async () => {
    expect(await runExec(false)).toEqual({ out: 'HELLO', err: 'done' });
  });

  it('exec start with hijack: 101 and the raw socket', async () => {
    expect(await runExec(true)).toEqual({ out: 'HELLO', err: 'done' });
  });
});
