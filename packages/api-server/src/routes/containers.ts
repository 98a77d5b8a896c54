import type { Engine, WaitCondition } from '@berth/engine-core';
import { logRecordText, parseTail } from '@berth/engine-core';
import { ContainerCreateRequest, InvalidParameterError, parseFilters } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';
import { optionalInt, queryTime, validBody } from './params.js';
import { inspectForVersion } from './volumes.js';

const WAIT_CONDITIONS: readonly string[] = ['not-running', 'next-exit', 'removed'];

async function create(engine: Engine, ctx: RequestContext): Promise<void> {
  const body = await ctx.json();
  if (body === undefined) throw new InvalidParameterError('config cannot be empty in order to create a container');
  ctx.send(201, engine.createContainer(validBody(ContainerCreateRequest, body), ctx.query.get('name') ?? '', ctx.apiVersion));
}

function list(engine: Engine, ctx: RequestContext): void {
  ctx.send(
    200,
    engine.list({
      all: ctx.queryBool('all'),
      limit: ctx.queryInt('limit', -1),
      filters: parseFilters(ctx.query.get('filters') ?? undefined),
      ...(ctx.query.get('before') ? { before: ctx.query.get('before') as string } : {}),
      ...(ctx.query.get('since') ? { since: ctx.query.get('since') as string } : {}),
    }),
  );
}

/** Docker answers wait with headers at once (clients wait for them before starting) and the status at the exit. */
async function wait(engine: Engine, ctx: RequestContext): Promise<void> {
  const condition = ctx.query.get('condition') || 'not-running';
  if (!WAIT_CONDITIONS.includes(condition)) throw new InvalidParameterError(`invalid condition: "${condition}"`);
  const result = engine.wait(ctx.params['id'] as string, condition as WaitCondition);
  const out = ctx.streamRaw('application/json');
  const response = await result;
  out.end(`${JSON.stringify(response)}\n`);
}

async function logs(engine: Engine, ctx: RequestContext): Promise<void> {
  const stdout = ctx.queryBool('stdout');
  const stderr = ctx.queryBool('stderr');
  if (!stdout && !stderr) throw new InvalidParameterError('Bad parameters: you must choose at least one stream');
  const id = ctx.params['id'] as string;
  const timestamps = ctx.queryBool('timestamps');
  const since = queryTime(ctx, 'since');
  const until = queryTime(ctx, 'until');
  const tail = parseTail(ctx.query.get('tail') ?? undefined);
  const records = engine.logs(id, {
    stdout,
    stderr,
    follow: ctx.queryBool('follow'),
    signal: ctx.signal,
    ...(tail === undefined ? {} : { tail }),
    ...(since === undefined || since === 0n ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  });
  const out = ctx.streamOutput({ multiplexed: !engine.isTty(id) });
  try {
    for await (const r of records) (r.stream === 'stdout' ? out.stdout : out.stderr).write(logRecordText(r, timestamps));
  } finally {
    out.end();
  }
}

/** attach: the hijacked connection carries the container's stdio until it exits or the client leaves. */
async function attach(engine: Engine, ctx: RequestContext): Promise<void> {
  const id = engine.resolve(ctx.params['id'] as string);
  const tty = engine.isTty(id);
  const wantStdin = ctx.queryBool('stdin');
  const wantStdout = ctx.queryBool('stdout');
  const wantStderr = ctx.queryBool('stderr');
  const io = await ctx.hijack({ multiplexed: !tty });
  if (ctx.queryBool('logs')) {
    for await (const r of engine.logs(id, { stdout: wantStdout, stderr: wantStderr })) {
      (r.stream === 'stdout' ? io.stdout : io.stderr).write(r.log);
    }
  }
  if (!ctx.queryBool('stream')) {
    io.close();
    return;
  }
  const attachment = await engine.attach(id, {
    ...(wantStdin ? { stdin: io.stdin } : {}),
    ...(wantStdout ? { stdout: io.stdout } : {}),
    ...(wantStderr ? { stderr: io.stderr } : {}),
  });
  const leave = (): void => attachment.close();
  ctx.signal.addEventListener('abort', leave, { once: true });
  await attachment.done;
  ctx.signal.removeEventListener('abort', leave);
  io.close();
}

/** The container routes of the Engine API over an engine. */
export function containerRoutes(engine: Engine): Route[] {
  const id = (ctx: RequestContext): string => ctx.params['id'] as string;
  return [
    { method: 'POST', path: '/containers/create', handler: (ctx) => create(engine, ctx) },
    { method: 'GET', path: '/containers/json', handler: (ctx) => list(engine, ctx) },
    { method: 'GET', path: '/containers/{id}/json', handler: (ctx) => ctx.send(200, inspectForVersion(engine.inspect(id(ctx)), ctx.apiVersion)) },
    { method: 'POST', path: '/containers/{id}/start', handler: (ctx) => engine.start(id(ctx)) },
    {
      method: 'POST',
      path: '/containers/{id}/stop',
      handler: (ctx) => engine.stop(id(ctx), optionalInt(ctx, 't'), ctx.query.get('signal') ?? undefined),
    },
    { method: 'POST', path: '/containers/{id}/kill', handler: (ctx) => engine.kill(id(ctx), ctx.query.get('signal') || 'SIGKILL') },
    { method: 'POST', path: '/containers/{id}/restart', handler: (ctx) => engine.restart(id(ctx), optionalInt(ctx, 't')) },
    { method: 'POST', path: '/containers/{id}/wait', handler: (ctx) => wait(engine, ctx) },
    {
      method: 'DELETE',
      path: '/containers/{id}',
      handler: (ctx) => engine.remove(id(ctx), { force: ctx.queryBool('force'), volumes: ctx.queryBool('v') }),
    },
    { method: 'POST', path: '/containers/{id}/pause', handler: (ctx) => engine.pause(id(ctx)) },
    { method: 'POST', path: '/containers/{id}/unpause', handler: (ctx) => engine.unpause(id(ctx)) },
    { method: 'POST', path: '/containers/{id}/rename', handler: (ctx) => engine.rename(id(ctx), ctx.query.get('name') ?? '') },
    { method: 'GET', path: '/containers/{id}/top', handler: (ctx) => ctx.send(200, engine.top(id(ctx), ctx.query.get('ps_args') ?? '')) },
    { method: 'GET', path: '/containers/{id}/logs', handler: (ctx) => logs(engine, ctx) },
    { method: 'POST', path: '/containers/{id}/attach', handler: (ctx) => attach(engine, ctx), hijack: true },
    {
      method: 'POST',
      path: '/containers/{id}/resize',
      // Docker answers 200 with no body.
      handler: async (ctx) => {
        await engine.resize(id(ctx), ctx.queryInt('h', 0), ctx.queryInt('w', 0));
        ctx.noContent(200);
      },
    },
  ];
}
