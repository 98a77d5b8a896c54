import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '@berth/engine-core';
import { commitConfig, ContainerFilesystem, encodePathStat } from '@berth/engine-core';
import { InvalidParameterError, type ContainerConfig } from '@berth/api-types';
import type { RequestContext } from '../context.js';
import type { Route } from '../router.js';

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

/** Streams a tar as the response; a failure after the headers cuts the connection, a client gone stops the tar. */
export async function sendTar(ctx: RequestContext, tar: Readable): Promise<void> {
  const out = ctx.streamRaw('application/x-tar');
  try {
    await pipeline(tar, out);
  } catch (e) {
    ctx.fail(500, (e as Error).message);
  }
}

function archivePath(ctx: RequestContext): string {
  const path = ctx.query.get('path') ?? '';
  if (path === '') throw new InvalidParameterError('Path cannot be empty');
  return path;
}

/** `POST /commit`: the container's changes as an image, config merged with the body and `changes`. */
async function commit(engine: Engine, ctx: RequestContext): Promise<void> {
  const ref = ctx.query.get('container') ?? '';
  const body = await ctx.json<Partial<ContainerConfig>>();
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) throw new InvalidParameterError('invalid config: expected a JSON object');
  const container = engine.inspect(ref);
  const config = commitConfig(container.Config, body, ctx.query.getAll('changes'));
  // Pausing is the default since API 1.13 when the client says nothing.
  const pause = ctx.query.get('pause') === null || ctx.query.get('pause') === '' ? true : ctx.queryBool('pause');
  const repo = ctx.query.get('repo') ?? '';
  const tag = ctx.query.get('tag') ?? '';
  if (tag && !repo) throw new InvalidParameterError('tag given without a repository');
  const id = await engine.commit(container.Id, {
    config,
    pause,
    // Docker's history line of a commit: the container's command.
    createdBy: (container.Config.Cmd ?? []).join(' '),
    ...(repo ? { repo } : {}),
    ...(tag ? { tag } : {}),
    ...(ctx.query.get('author') ? { author: ctx.query.get('author') as string } : {}),
    ...(ctx.query.get('comment') ? { comment: ctx.query.get('comment') as string } : {}),
  });
  ctx.send(201, { Id: id });
}

/** The container filesystem routes: changes, export, archive (HEAD/GET/PUT), copy, and commit. */
export function filesystemRoutes(engine: Engine): Route[] {
  const fs = new ContainerFilesystem(engine);
  const id = (ctx: RequestContext): string => ctx.params['id'] as string;
  return [
    { method: 'GET', path: '/containers/{id}/changes', handler: (ctx) => ctx.send(200, fs.changes(id(ctx))) },
    {
      method: 'GET',
      path: '/containers/{id}/export',
      handler: (ctx) => sendTar(ctx, fs.export(id(ctx))),
    },
    {
      method: 'HEAD',
      path: '/containers/{id}/archive',
      handler: async (ctx) => {
        const stat = await fs.stat(id(ctx), archivePath(ctx));
        ctx.setHeader(STAT_HEADER, encodePathStat(stat));
        ctx.noContent(200);
      },
    },
    {
      method: 'GET',
      path: '/containers/{id}/archive',
      handler: async (ctx) => {
        const { stat, tar } = await fs.archive(id(ctx), archivePath(ctx));
        ctx.setHeader(STAT_HEADER, encodePathStat(stat));
        await sendTar(ctx, tar);
      },
    },
    {
      method: 'PUT',
      path: '/containers/{id}/archive',
      handler: async (ctx) => {
        await fs.extract(id(ctx), archivePath(ctx), ctx.bodyStream(), { noOverwriteDirNonDir: ctx.queryBool('noOverwriteDirNonDir') });
        ctx.noContent(200);
      },
    },
    {
      method: 'POST',
      path: '/containers/{id}/copy',
      handler: async (ctx) => {
        const body = await ctx.json<{ Resource?: unknown }>();
        if (typeof body?.Resource !== 'string') throw new InvalidParameterError('Path cannot be empty');
        await sendTar(ctx, await fs.copy(id(ctx), body.Resource));
      },
    },
    { method: 'POST', path: '/commit', handler: (ctx) => commit(engine, ctx) },
  ];
}
