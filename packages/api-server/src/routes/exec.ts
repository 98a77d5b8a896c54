import type { Engine } from '@berth/engine-core';
import { ExecCreateRequest, ExecStartRequest } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';
import { validBody } from './params.js';

async function create(engine: Engine, ctx: RequestContext): Promise<void> {
  const req = validBody(ExecCreateRequest, (await ctx.json()) ?? {});
  ctx.send(201, { Id: engine.execs.create(ctx.params['id'] as string, req) });
}

/**
 * Exec start: detached, a 200 once the process runs; else the connection is taken over (101
 * with `Upgrade: tcp`, a streamed 200 without) until the process exited. Refusals come before
 * the takeover as JSON errors; a command that fails after it says so on the stream.
 */
async function start(engine: Engine, ctx: RequestContext): Promise<void> {
  const id = ctx.params['id'] as string;
  const body = validBody(ExecStartRequest, (await ctx.json()) ?? {});
  engine.execs.assertCanStart(id);
  if (body.Detach) {
    await engine.execs.start(id);
    ctx.noContent(200);
    return;
  }
  const io = await ctx.hijack({ multiplexed: !engine.execs.isTty(id) });
  try {
    const session = await engine.execs.start(id, io);
    const kill = (): void => session.kill();
    ctx.signal.addEventListener('abort', kill, { once: true });
    await session.done;
    ctx.signal.removeEventListener('abort', kill);
  } catch (e) {
    io.stdout.write(`${(e as Error).message}\r\n`);
  }
  io.close();
}

/** The exec routes of the Engine API over an engine. */
export function execRoutes(engine: Engine): Route[] {
  const id = (ctx: RequestContext): string => ctx.params['id'] as string;
  return [
    { method: 'POST', path: '/containers/{id}/exec', handler: (ctx) => create(engine, ctx) },
    { method: 'POST', path: '/exec/{id}/start', handler: (ctx) => start(engine, ctx), hijack: true },
    { method: 'GET', path: '/exec/{id}/json', handler: (ctx) => ctx.send(200, engine.execs.inspect(id(ctx))) },
    {
      method: 'POST',
      path: '/exec/{id}/resize',
      handler: (ctx) => {
        engine.execs.resize(id(ctx), ctx.queryInt('h', 0), ctx.queryInt('w', 0));
        ctx.noContent(200);
      },
    },
  ];
}
