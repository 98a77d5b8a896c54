import { apiErrorOf, decodeRegistryAuth, type AuthConfig, type Engine, type JSONMessage, type SearchResult } from '@berth/engine-core';
import { InvalidParameterError, parseFilters, validateFilterKeys, type FilterArgs } from '@berth/api-types';
import type { JsonLineStream, RequestContext } from '../context.js';
import type { Route } from '../router.js';

function registryAuth(ctx: RequestContext): AuthConfig {
  const header = ctx.requestHeaders['x-registry-auth'];
  try {
    return decodeRegistryAuth(Array.isArray(header) ? header[0] : header);
  } catch (e) {
    throw apiErrorOf(e);
  }
}

/**
 * A progress sink that starts the JSON-lines response with its first message: a failure before
 * any progress (a missing manifest, a refused login) is still an HTTP error, as in Docker.
 */
function lazyProgress(ctx: RequestContext): { sink: (m: JSONMessage) => void; end(): void } {
  let out: JsonLineStream | undefined;
  return {
    sink: (m) => {
      out ??= ctx.streamJson();
      out.write(m);
    },
    end: () => (out ?? ctx.streamJson()).end(),
  };
}

/** `POST /images/create?fromImage=&tag=&platform=`: `docker pull`. */
export async function pullImage(engine: Engine, ctx: RequestContext): Promise<void> {
  const fromImage = ctx.query.get('fromImage') ?? '';
  if (fromImage === '') throw new InvalidParameterError('fromImage or fromSrc is required');
  const progress = lazyProgress(ctx);
  const tag = ctx.query.get('tag') ?? '';
  const platform = ctx.query.get('platform') ?? '';
  await engine.distribution.pull(fromImage, {
    auth: registryAuth(ctx),
    progress: progress.sink,
    signal: ctx.signal,
    ...(tag ? { tag } : {}),
    ...(platform ? { platform } : {}),
  });
  progress.end();
}

async function pushImage(engine: Engine, ctx: RequestContext): Promise<void> {
  const progress = lazyProgress(ctx);
  const tag = ctx.query.get('tag') ?? '';
  await engine.distribution.push(ctx.params['name'] as string, {
    auth: registryAuth(ctx),
    progress: progress.sink,
    signal: ctx.signal,
    ...(tag ? { tag } : {}),
  });
  progress.end();
}

const SEARCH_FILTERS = ['is-automated', 'is-official', 'stars'] as const;

/** Docker's search filters: `is-official`, `is-automated` (true/false) and `stars` (a minimum). */
function searchFilter(args: FilterArgs): (r: SearchResult) => boolean {
  validateFilterKeys(args, SEARCH_FILTERS);
  const bool = (key: string): boolean | undefined => {
    const v = [...(args.get(key) ?? [])][0];
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw new InvalidParameterError(`invalid filter '${key}=${v}'`);
    return v === 'true';
  };
  const official = bool('is-official');
  const automated = bool('is-automated');
  const starsRaw = [...(args.get('stars') ?? [])][0];
  const stars = starsRaw === undefined ? 0 : Number(starsRaw);
  if (!Number.isInteger(stars)) throw new InvalidParameterError(`invalid filter 'stars=${starsRaw}'`);
  return (r) =>
    (official === undefined || r.is_official === official) && (automated === undefined || r.is_automated === automated) && r.star_count >= stars;
}

/** Registry routes: push, login, search (pull is `POST /images/create`, in the image routes). */
export function distributionRoutes(engine: Engine): Route[] {
  return [
    { method: 'POST', path: '/images/{name:.*}/push', handler: (ctx) => pushImage(engine, ctx) },
    {
      method: 'POST',
      path: '/auth',
      handler: async (ctx) => ctx.send(200, await engine.distribution.login((await ctx.json<AuthConfig>()) ?? {})),
    },
    {
      method: 'GET',
      path: '/images/search',
      handler: async (ctx) => {
        const term = ctx.query.get('term') ?? '';
        const keep = searchFilter(parseFilters(ctx.query.get('filters') ?? undefined));
        const limit = ctx.queryInt('limit', 25);
        const found = await engine.distribution.search(term, { auth: registryAuth(ctx), limit });
        ctx.send(200, found.filter(keep));
      },
    },
  ];
}
