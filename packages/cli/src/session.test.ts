import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createApiServer } from '@berth/api-server';
import type { ApiServer } from '@berth/api-server';
import { sink } from '@berth/api-server/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineClient } from './client/client.js';
import { runStreamSession } from './session.js';


let dir: string;
let server: ApiServer;
let client: EngineClient;
/** What the "container" received on stdin, whether it saw EOF, and when its stdin closed. */
let received: { text: string; eof: boolean; closed: Promise<void> };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-session-'));
  let closed!: () => void;
  received = { text: '', eof: false, closed: new Promise((r) => (closed = r)) };
  server = createApiServer({
    version: { platformName: 'berth', version: '0.1.0', gitCommit: '', buildTime: '' },
    routes: [
      {
        method: 'POST',
        path: '/containers/{id}/attach',
        hijack: true,
        handler: async (ctx) => {
          const tty = ctx.queryBool('tty');
          const io = await ctx.hijack({ multiplexed: !tty });
          io.stdin.on('data', (c: Buffer) => {
            received.text += c.toString();
            io.stdout.write(`out:${c.toString()}`);
            if (!tty) io.stderr.write('!');
          });
          io.stdin.on('end', () => {
            received.eof = true;
            io.stdout.write('bye');
            io.close();
          });
          io.stdin.on('close', () => closed());
        },
      },
    ],
  });
  await server.listen({ kind: 'unix', path: join(dir, 's.sock') });
  client = new EngineClient({ kind: 'unix', path: join(dir, 's.sock') });
});

afterEach(async () => {
  client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runStreamSession', () => {
  it('sends piped stdin, half-closes it, and demultiplexes the output', async () => {
    const stdin = new PassThrough();
    const out = sink();
    const err = sink();
    const connection = await client.hijack('POST', '/containers/c/attach', { query: { stream: 1, stdin: 1 } });
    const session = runStreamSession({ connection, tty: false, stdin, stdout: out.stream, stderr: err.stream });
    stdin.end('hi');
    expect(await session).toEqual({ detached: false });
    expect(received).toMatchObject({ text: 'hi', eof: true });
    expect(out.text()).toBe('out:hibye');
    expect(err.text()).toBe('!');
  });

  it('detaches on ctrl-p ctrl-q without sending the keys', async () => {
    const stdin = new PassThrough();
    const out = sink();
    const connection = await client.hijack('POST', '/containers/c/attach', { query: { tty: 1 } });
    const session = runStreamSession({ connection, tty: true, stdin, stdout: out.stream, stderr: out.stream });
    stdin.write('ls\n');
    stdin.write(Buffer.from([0x10]));
    stdin.write(Buffer.from([0x11, 0x61]));
    expect(await session).toEqual({ detached: true });
    await received.closed;
    expect(received.text).toBe('ls\n');
    expect(stdin.listenerCount('data')).toBe(0);
  });
});
