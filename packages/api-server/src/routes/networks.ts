import type { Engine } from '@berth/engine-core';
import { InvalidParameterError, NetworkConnectRequest, NetworkCreateRequest, NetworkDisconnectRequest, parseFilters } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';

interface Schema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

/** A JSON body checked against its schema; 400 with zod's words otherwise. */
async function body<T>(ctx: RequestContext, schema: Schema<T>): Promise<T> {
  const parsed = schema.safeParse((await ctx.json()) ?? {});
  if (!parsed.success) throw new InvalidParameterError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

async function create(engine: Engine, ctx: RequestContext): Promise<void> {
  const b = await body(ctx, NetworkCreateRequest);
  const config = (b.IPAM?.Config ?? []).map((c) => ({
    ...(c.Subnet ? { Subnet: c.Subnet } : {}),
    ...(c.Gateway ? { Gateway: c.Gateway } : {}),
    ...(c.IPRange ? { IPRange: c.IPRange } : {}),
  }));
  ctx.send(
    201,
    engine.networks.create({
      Name: b.Name ?? '',
      ...(b.Driver ? { Driver: b.Driver } : {}),
      Internal: b.Internal ?? false,
      Attachable: b.Attachable ?? false,
      Labels: b.Labels ?? {},
      Options: b.Options ?? {},
      IPAM: { Config: config },
    }),
  );
}

async function connect(engine: Engine, ctx: RequestContext): Promise<void> {
  const b = await body(ctx, NetworkConnectRequest);
  await engine.networks.connect(ctx.params['id'] as string, b.Container ?? '', [...(b.EndpointConfig?.Aliases ?? [])]);
  ctx.noContent(200);
}

async function disconnect(engine: Engine, ctx: RequestContext): Promise<void> {
  const b = await body(ctx, NetworkDisconnectRequest);
  await engine.networks.disconnect(ctx.params['id'] as string, b.Container ?? '');
  ctx.noContent(200);
}

/** The /networks endpoints: list, inspect, create, remove, connect, disconnect, prune. */
export function networkRoutes(engine: Engine): Route[] {
  const id = (ctx: RequestContext): string => ctx.params['id'] as string;
  return [
    { method: 'GET', path: '/networks', handler: (ctx) => ctx.send(200, engine.networks.list(parseFilters(ctx.query.get('filters') ?? undefined))) },
    { method: 'POST', path: '/networks/create', handler: (ctx) => create(engine, ctx) },
    { method: 'POST', path: '/networks/prune', handler: async (ctx) => ctx.send(200, await engine.networks.prune()) },
    { method: 'GET', path: '/networks/{id}', handler: (ctx) => ctx.send(200, engine.networks.inspect(id(ctx))) },
    { method: 'DELETE', path: '/networks/{id}', handler: (ctx) => engine.networks.remove(id(ctx)) },
    { method: 'POST', path: '/networks/{id}/connect', handler: (ctx) => connect(engine, ctx) },
    { method: 'POST', path: '/networks/{id}/disconnect', handler: (ctx) => disconnect(engine, ctx) },
  ];
}
