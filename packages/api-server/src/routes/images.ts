import type { Engine } from '@berth/engine-core';
import { InvalidParameterError, NotImplementedError } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';
import { pullImage } from './distribution.js';

/** `POST /images/create`: `docker import` of the request body (`fromSrc=-`), else `docker pull`. */
async function createImage(engine: Engine, ctx: RequestContext): Promise<void> {
  const fromSrc = ctx.query.get('fromSrc');
  if (fromSrc === null || fromSrc === '') return pullImage(engine, ctx);
  if (fromSrc !== '-') throw new NotImplementedError('importing from a URL is not supported yet');
  const repo = ctx.query.get('repo') ?? '';
  const tag = ctx.query.get('tag') ?? '';
  const message = ctx.query.get('message') ?? '';
  if (tag && !repo) throw new InvalidParameterError('tag given without a repository');
  const out = ctx.streamJson();
  const id = await engine.images.import(ctx.bodyStream(), { repo, tag, message });
  out.write({ status: id });
  out.end();
}

/** The image routes of the Engine API over an engine. */
export function imageRoutes(engine: Engine): Route[] {
  const name = (ctx: RequestContext): string => ctx.params['name'] as string;
  return [
    { method: 'GET', path: '/images/json', handler: (ctx) => ctx.send(200, engine.images.list({ all: ctx.queryBool('all') })) },
    { method: 'POST', path: '/images/create', handler: (ctx) => createImage(engine, ctx) },
    { method: 'GET', path: '/images/{name:.*}/json', handler: (ctx) => ctx.send(200, engine.images.inspect(name(ctx))) },
    {
      method: 'DELETE',
      path: '/images/{name:.*}',
      handler: (ctx) => ctx.send(200, engine.images.remove(name(ctx), { force: ctx.queryBool('force'), noprune: ctx.queryBool('noprune') })),
    },
    {
      method: 'POST',
      path: '/images/{name:.*}/tag',
      handler: (ctx) => {
        const repo = ctx.query.get('repo') ?? '';
        if (!repo) throw new InvalidParameterError('repository name must have at least one component');
        engine.images.tag(name(ctx), repo, ctx.query.get('tag') ?? '');
        ctx.noContent(201);
      },
    },
  ];
}
