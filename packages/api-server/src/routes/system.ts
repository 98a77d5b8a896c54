import type { Engine, EngineEvent } from '@berth/engine-core';
import { eventMessageJson, validateEventFilters } from '@berth/engine-core';
import { nowNanos, parseFilters } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';
import { queryTime } from './params.js';

/**
 * `GET /events`: past events within since/until, then live ones, one JSON object per line;
 * the stream ends at `until` (at once when it is past) or when the client leaves.
 */
async function events(engine: Engine, ctx: RequestContext): Promise<void> {
  const filters = parseFilters(ctx.query.get('filters') ?? undefined);
  validateEventFilters(filters);
  const since = queryTime(ctx, 'since');
  const until = queryTime(ctx, 'until');
  const out = ctx.streamRaw('application/json');
  const write = (e: EngineEvent): void => {
    if (!out.writableEnded && !out.destroyed) out.write(`${eventMessageJson(e)}\n`);
  };
  await new Promise<void>((resolve) => {
    const { replay, unsubscribe } = engine.events.subscribe(
      { filters, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) },
      (e) => {
        if (until === undefined || e.timeNano <= until) write(e);
      },
    );
    for (const e of replay) write(e);
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', finish);
      resolve();
    };
    ctx.signal.addEventListener('abort', finish, { once: true });
    // setTimeout takes at most 2^31-1 ms.
    if (until !== undefined) timer = setTimeout(finish, Math.min(2 ** 31 - 1, Math.max(0, Number((until - nowNanos()) / 1_000_000n))));
  });
  if (!out.writableEnded) out.end();
}

/** `/info` and `/events`. */
export function systemEngineRoutes(engine: Engine): Route[] {
  return [
    { method: 'GET', path: '/info', handler: (ctx) => ctx.send(200, engine.info()) },
    { method: 'GET', path: '/events', handler: (ctx) => events(engine, ctx) },
  ];
}
