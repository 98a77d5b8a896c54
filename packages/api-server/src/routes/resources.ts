import type { Engine } from '@berth/engine-core';
import { stringifyIntegers } from '@berth/engine-core';
import { ContainerUpdateRequest, InvalidParameterError } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';

/** `stream` is true unless given false (Docker's boolValueOrDefault). */
const streamParam = (ctx: RequestContext): boolean => !ctx.query.has('stream') || ctx.queryBool('stream');

/** GET /containers/{id}/stats: JSON frames, one a second while streaming, integers written in full. */
async function stats(engine: Engine, ctx: RequestContext): Promise<void> {
  const stream = streamParam(ctx);
  const oneShot = ctx.queryBool('one-shot');
  if (oneShot && stream) throw new InvalidParameterError('cannot have stream=true and one-shot=true');
  const frames = engine.stats(ctx.params['id'] as string, { stream, oneShot, apiVersion: ctx.apiVersion, signal: ctx.signal });
  if (!stream) {
    for await (const frame of frames) {
      ctx.sendText(200, `${stringifyIntegers(frame)}\n`, 'application/json');
      return;
    }
  }
  const out = ctx.streamRaw('application/json');
  try {
    for await (const frame of frames) {
      if (out.writableEnded || out.destroyed) break;
      out.write(`${stringifyIntegers(frame)}\n`);
    }
  } finally {
    if (!out.writableEnded) out.end();
  }
}

async function update(engine: Engine, ctx: RequestContext): Promise<void> {
  const parsed = ContainerUpdateRequest.safeParse((await ctx.json()) ?? {});
  if (!parsed.success) throw new InvalidParameterError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  ctx.send(200, engine.update(ctx.params['id'] as string, parsed.data));
}

/** The resource routes: live stats and `docker update`. */
export function resourceRoutes(engine: Engine): Route[] {
  return [
    { method: 'GET', path: '/containers/{id}/stats', handler: (ctx) => stats(engine, ctx) },
    { method: 'POST', path: '/containers/{id}/update', handler: (ctx) => update(engine, ctx) },
  ];
}
