import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '@berth/api-server';
import type { ApiServer } from '@berth/api-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../test-support/daemon.js';
import { runMain } from '../test-support/main.js';

// The request bodies berth exec sends, checked against stand-in routes on a real HTTP server (exec.e2e.test.ts drives the real daemon).
let dir: string;
let server: ApiServer;
let created: unknown[];
let started: unknown[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-exec-'));
  created = [];
  started = [];
  server = createApiServer({
    version: { platformName: 'berth', version: '0.1.0', gitCommit: '', buildTime: '' },
    routes: [
      {
        method: 'POST',
        path: '/containers/{id}/exec',
        handler: async (ctx) => {
          created.push({ container: ctx.params['id'], ...(await ctx.json<object>()) });
          ctx.send(201, { Id: 'e1' });
        },
      },
      {
        method: 'POST',
        path: '/exec/{id}/start',
        hijack: true,
        handler: async (ctx) => {
          const body = await ctx.json<{ Detach: boolean }>();
          started.push(body);
          if (body?.Detach) {
            ctx.send(200, {});
            return;
          }
          const io = await ctx.hijack({ multiplexed: true });
          let input = '';
          io.stdin.on('data', (c: Buffer) => (input += c.toString()));
          io.stdin.on('end', () => {
            io.stdout.write(`got:${input}`);
            io.stderr.write('warn');
            io.close();
          });
        },
      },
      { method: 'GET', path: '/exec/{id}/json', handler: (ctx) => ctx.send(200, { ID: 'e1', ExitCode: 7, Running: false }) },
    ],
  });
  await server.listen({ kind: 'unix', path: join(dir, 's.sock') });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const berth = (argv: string[], input = ''): Promise<Result> => runMain(['-H', `unix://${join(dir, 's.sock')}`, ...argv], {}, input);

describe('berth exec', () => {
  it('creates the exec as docker does, pipes stdin, demultiplexes the output and exits with its code', async () => {
    expect(await berth(['exec', '-i', '-u', 'nobody', 'c1', 'cat', '/etc/x'], 'hello')).toEqual({ code: 7, stdout: 'got:hello', stderr: 'warn' });
    expect(created).toEqual([
      {
        container: 'c1',
        User: 'nobody',
        Privileged: false,
        Tty: false,
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Detach: false,
        Cmd: ['cat', '/etc/x'],
      },
    ]);
    expect(started).toEqual([{ Detach: false, Tty: false }]);
  });

  it('starts a detached exec and prints nothing', async () => {
    expect(await berth(['exec', '-d', 'c1', 'sleep', '5'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(created).toMatchObject([{ AttachStdin: false, AttachStdout: false, AttachStderr: false, Detach: true }]);
    expect(started).toEqual([{ Detach: true, Tty: false }]);
  });

  it('refuses a TTY on piped stdin and a missing command', async () => {
    expect(await berth(['exec', '-it', 'c1', 'sh'])).toEqual({ code: 1, stdout: '', stderr: 'cannot enable tty mode on non tty input\n' });
    expect(await berth(['exec', 'c1'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `berth: "exec" requires a minimum of 2 arguments. See 'berth exec --help'.\n`,
    });
    expect(created).toEqual([]);
  });
});
