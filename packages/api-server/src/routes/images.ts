import { Readable } from 'node:stream';
import type { Engine } from '@berth/engine-core';
import { InvalidParameterError, parseFilters } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';
import { pullImage } from './distribution.js';
import { sendTar } from './filesystem.js';

/** The tar an import reads: the request body for `fromSrc=-`, else the URL (`http://` added when it has no scheme). */
async function importSource(fromSrc: string, ctx: RequestContext): Promise<Readable> {
  if (fromSrc === '-') return ctx.bodyStream();
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(fromSrc) ? fromSrc : `http://${fromSrc}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: ctx.signal });
  } catch (e) {
    throw new InvalidParameterError(`error downloading ${url}: ${(e as Error).message}`);
  }
  if (!res.ok || res.body === null) throw new InvalidParameterError(`Get ${JSON.stringify(url)}: unexpected status code ${res.status}`);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

/** `POST /images/create`: `docker import` of the body or a URL (`fromSrc`, with `changes`), else `docker pull` (fromImage wins). */
async function createImage(engine: Engine, ctx: RequestContext): Promise<void> {
  const fromSrc = ctx.query.get('fromSrc');
  if (ctx.query.get('fromImage') || fromSrc === null || fromSrc === '') return pullImage(engine, ctx);
  const repo = ctx.query.get('repo') ?? '';
  const tag = ctx.query.get('tag') ?? '';
  const message = ctx.query.get('message') ?? '';
  if (tag && !repo) throw new InvalidParameterError('tag given without a repository');
  const tar = await importSource(fromSrc, ctx);
  const id = await engine.images.import(tar, { repo, tag, message, changes: ctx.query.getAll('changes'), source: fromSrc });
  // Nothing was written before: a failed import is an HTTP error, as moby's unflushed output makes it.
  const out = ctx.streamJson();
  out.write({ status: id });
  out.end();
}

/** `POST /images/load`: Docker's `{"stream":"Loaded image: …\n"}` lines (`quiet` only drops progress, which berth has none of). */
async function load(engine: Engine, ctx: RequestContext): Promise<void> {
  const result = await engine.images.load(ctx.bodyStream());
  const out = ctx.streamJson();
  for (const m of result.messages) out.write({ stream: `${m}\n` });
  out.end();
}

/** The image routes of the Engine API over an engine. */
export function imageRoutes(engine: Engine): Route[] {
  const name = (ctx: RequestContext): string => ctx.params['name'] as string;
  return [
    {
      method: 'GET',
      path: '/images/json',
      handler: (ctx) => {
        const filters = parseFilters(ctx.query.get('filters') ?? undefined);
        // The pre-1.25 `filter` parameter: a repository name pattern.
        const legacy = ctx.query.get('filter');
        if (legacy) filters.set('reference', new Set([...(filters.get('reference') ?? []), legacy]));
        ctx.send(200, engine.images.list({ all: ctx.queryBool('all'), filters }));
      },
    },
    { method: 'POST', path: '/images/create', handler: (ctx) => createImage(engine, ctx) },
    { method: 'POST', path: '/images/load', handler: (ctx) => load(engine, ctx) },
    {
      method: 'GET',
      path: '/images/get',
      handler: (ctx) => {
        const names = ctx.query.getAll('names');
        if (names.length === 0) throw new InvalidParameterError('Missing parameter');
        return sendTar(ctx, engine.images.save(names));
      },
    },
    { method: 'GET', path: '/images/{name:.*}/get', handler: (ctx) => sendTar(ctx, engine.images.save([name(ctx)])) },
    { method: 'GET', path: '/images/{name:.*}/history', handler: (ctx) => ctx.send(200, engine.images.history(name(ctx))) },
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
        // Docker 1.7 refused to move a tag without force; clients since 1.10 never send it and
        // always move it. A client that says force=0 gets the book's conflict.
        const force = ctx.query.get('force') === null || ctx.queryBool('force');
        engine.images.tag(name(ctx), repo, ctx.query.get('tag') ?? '', force);
        ctx.noContent(201);
      },
    },
  ];
}
