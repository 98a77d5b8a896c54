import { build, type BuildOptions, type RunHostConfig } from '@berth/builder';
import type { Engine } from '@berth/engine-core';
import { InvalidParameterError } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';

/** A JSON-object query parameter (`buildargs`, `labels`); a 400 when malformed. */
function jsonParam<T>(ctx: RequestContext, name: string): T | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new InvalidParameterError(`invalid ${name} parameter: ${raw}`);
  }
}

/** `POST /build`'s query as builder options. */
function buildOptions(ctx: RequestContext): BuildOptions {
  const q = ctx.query;
  const int = (name: string): number | undefined => (q.get(name) ? ctx.queryInt(name, 0) : undefined);
  const host: RunHostConfig = {};
  const set = <K extends keyof RunHostConfig>(k: K, v: RunHostConfig[K] | undefined): void => {
    if (v !== undefined && v !== '') host[k] = v;
  };
  set('Memory', int('memory'));
  set('MemorySwap', int('memswap'));
  set('CpuShares', int('cpushares'));
  set('CpuPeriod', int('cpuperiod'));
  set('CpuQuota', int('cpuquota'));
  set('ShmSize', int('shmsize'));
  set('CpusetCpus', q.get('cpusetcpus') ?? undefined);
  set('CpusetMems', q.get('cpusetmems') ?? undefined);
  set('CgroupParent', q.get('cgroupparent') ?? undefined);
  const network = q.get('networkmode');
  if (network && network !== 'default') host.NetworkMode = network;
  const opts: BuildOptions = {
    tags: q.getAll('t').filter((t) => t !== ''),
    noCache: ctx.queryBool('nocache'),
    rm: q.get('rm') === null ? true : ctx.queryBool('rm'),
    forceRm: ctx.queryBool('forcerm'),
    quiet: ctx.queryBool('q'),
    pull: ctx.queryBool('pull'),
    hostConfig: host,
  };
  const dockerfile = q.get('dockerfile');
  if (dockerfile) opts.dockerfile = dockerfile;
  const remote = q.get('remote');
  if (remote) opts.remote = remote;
  const target = q.get('target');
  if (target) opts.target = target;
  const buildArgs = jsonParam<Record<string, string | null>>(ctx, 'buildargs');
  if (buildArgs) opts.buildArgs = buildArgs;
  const labels = jsonParam<Record<string, string>>(ctx, 'labels');
  if (labels) opts.labels = labels;
  return opts;
}

/** `POST /build`: the body is the context tar; the steps stream as `{"stream": …}` lines. */
async function postBuild(engine: Engine, ctx: RequestContext): Promise<void> {
  const opts = buildOptions(ctx);
  const out = ctx.streamJson();
  try {
    await build(engine, opts.remote ? undefined : ctx.bodyStream(), { ...opts, signal: ctx.signal }, {
      stream: (text) => out.write({ stream: text }),
      aux: (value) => out.write({ aux: value }),
      progress: (message) => out.write(message),
    });
  } catch (e) {
    const message = (e as Error).message;
    const code = (e as { code?: unknown }).code;
    out.write({ errorDetail: { ...(typeof code === 'number' ? { code } : {}), message }, error: message });
  }
  out.end();
}

/** The build route. */
export function buildRoutes(engine: Engine): Route[] {
  return [{ method: 'POST', path: '/build', handler: (ctx) => postBuild(engine, ctx) }];
}
