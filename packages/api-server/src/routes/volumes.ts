import type { Engine } from '@berth/engine-core';
import type { ContainerInspect } from '@berth/api-types';
import { InvalidParameterError, VolumeCreateRequest, parseFilters, versionLessThan } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';

async function create(engine: Engine, ctx: RequestContext): Promise<void> {
  const parsed = VolumeCreateRequest.safeParse((await ctx.json()) ?? {});
  if (!parsed.success) throw new InvalidParameterError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  ctx.send(201, engine.volumes.create(parsed.data));
}

/**
 * Container inspect as a client before API 1.20 reads it: `Volumes` (destination → host path)
 * and `VolumesRW` (destination → writable) in place of `Mounts`.
 */
export function inspectForVersion(inspect: ContainerInspect, apiVersion: string): object {
  if (!versionLessThan(apiVersion, '1.20')) return inspect;
  const { Mounts, ...rest } = inspect;
  return {
    ...rest,
    Volumes: Object.fromEntries(Mounts.map((m) => [m.Destination, m.Source])),
    VolumesRW: Object.fromEntries(Mounts.map((m) => [m.Destination, m.RW])),
  };
}

/** The /volumes routes of the Engine API (the local driver). */
export function volumeRoutes(engine: Engine): Route[] {
  const name = (ctx: RequestContext): string => ctx.params['name'] as string;
  const filters = (ctx: RequestContext) => parseFilters(ctx.query.get('filters') ?? undefined);
  return [
    { method: 'GET', path: '/volumes', handler: (ctx) => ctx.send(200, engine.volumes.list(filters(ctx))) },
    { method: 'POST', path: '/volumes/create', handler: (ctx) => create(engine, ctx) },
    { method: 'POST', path: '/volumes/prune', handler: (ctx) => ctx.send(200, engine.volumes.prune(filters(ctx), ctx.apiVersion)) },
    { method: 'GET', path: '/volumes/{name}', handler: (ctx) => ctx.send(200, engine.volumes.inspect(name(ctx))) },
    {
      method: 'DELETE',
      path: '/volumes/{name}',
      handler: (ctx) => {
        engine.volumes.remove(name(ctx), { force: ctx.queryBool('force') });
        ctx.noContent();
      },
    },
  ];
}
