import { rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RequestContext } from './context.js';
import { prepareUnixSocketPath, secureUnixSocket } from './listen.js';
import type { ListenAddress } from './listen.js';
import { Router } from './router.js';
import type { Route } from './router.js';
import { systemRoutes } from './system.js';
import type { EngineVersionInfo } from './system.js';
import { HttpTransport, UpgradeTransport } from './transport.js';
import type { HeaderMap, Transport } from './transport.js';
import { DEFAULT_API_VERSION, MAX_API_VERSION, checkApiVersion, splitVersionPrefix, statusCodeOf } from '@berth/api-types';

export interface ApiServerOptions {
  /** The engine's routes, tried in order after `/_ping` and `/version`. */
  routes: readonly Route[];
  /** What `/version` and the `Server` header report. */
  version: EngineVersionInfo;
  /** Receives one line per request that failed with a 5xx. */
  log?: (line: string) => void;
  /** `--api-cors-header`: the Access-Control-Allow-Origin to send; CORS is off when unset. */
  corsOrigin?: string;
}

export interface ApiServer {
  /** Starts listening; resolves to the bound address as a `-H` URL (`tcp://127.0.0.1:41234`). */
  listen(address: ListenAddress): Promise<string>;
  /** Stops every listener, cuts open connections (hijacked ones too) and removes unix sockets. */
  close(): Promise<void>;
}

/** The Engine API over HTTP: versioned routing, Docker's headers and errors, streams and hijacks. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const router = new Router([...systemRoutes(options.version), ...options.routes]);
  const baseHeaders: HeaderMap = {
    'Api-Version': MAX_API_VERSION,
    Ostype: 'linux',
    Server: `${options.version.platformName}/${options.version.version} (linux)`,
    'Docker-Experimental': 'false',
    ...(options.corsOrigin
      ? {
          'Access-Control-Allow-Origin': options.corsOrigin,
          'Access-Control-Allow-Headers': 'Origin, X-Requested-With, Content-Type, Accept, X-Registry-Auth',
          'Access-Control-Allow-Methods': 'HEAD, GET, POST, DELETE, PUT, OPTIONS',
        }
      : {}),
  };
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const unixPaths: string[] = [];

  const dispatch = async (req: IncomingMessage, transport: Transport): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      decoded = url.pathname;
    }
    const { version, path } = splitVersionPrefix(decoded);
    const apiVersion = version ?? DEFAULT_API_VERSION;
    const match = router.match(req.method ?? 'GET', path);
    const ctx = new RequestContext({
      request: req,
      transport,
      path,
      params: match?.params ?? {},
      query: url.searchParams,
      apiVersion,
      baseHeaders,
      hijackable: match?.route.hijack === true,
    });
    const refused = version === undefined ? undefined : checkApiVersion(version);
    if (refused) {
      ctx.fail(400, refused);
      return;
    }
    if (req.method === 'OPTIONS' && options.corsOrigin) {
      // A browser's preflight: Docker answers every path with the CORS headers alone.
      ctx.noContent(200);
      return;
    }
    if (!match) {
      // moby answers unknown paths and wrong methods alike with its page-not-found error.
      ctx.fail(404, 'page not found');
      return;
    }
    try {
      await match.route.handler(ctx);
      if (!ctx.responded) ctx.noContent();
    } catch (err) {
      const status = statusCodeOf(err);
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) options.log?.(`Handler for ${req.method} ${url.pathname} returned error: ${message}`);
      ctx.fail(status, message);
    }
  };

  // Answering can itself fail (the client vanished mid-error): that costs the connection,
  // never the daemon.
  const settle = (req: IncomingMessage, done: Promise<void>): void => {
    done.catch((err: unknown) => {
      options.log?.(`${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      req.socket.destroy();
    });
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    settle(req, dispatch(req, new HttpTransport(req, res)));
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    settle(req, dispatch(req, new UpgradeTransport(req, socket, head)));
  };

  const configure = (server: Server): Server => {
    // Attach, logs -f and events stay open for hours; build uploads can be slow.
    server.requestTimeout = 0;
    server.timeout = 0;
    server.keepAliveTimeout = 0;
    server.on('request', onRequest);
    server.on('upgrade', onUpgrade);
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    servers.push(server);
    return server;
  };

  const bind = (server: Server, ...args: [string] | [number, string]): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (args.length === 1) server.listen(args[0], done);
      else server.listen(args[0], args[1], done);
    });

  return {
    async listen(address) {
      if (address.kind === 'unix') {
        await prepareUnixSocketPath(address.path);
        const server = configure(createHttpServer());
        await bind(server, address.path);
        unixPaths.push(address.path);
        await secureUnixSocket(address.path, address.mode, address.group);
        return `unix://${address.path}`;
      }
      const tls = address.tls;
      const server = configure(
        tls
          ? createHttpsServer({
              cert: tls.cert,
              key: tls.key,
              ...(tls.ca === undefined ? {} : { ca: tls.ca }),
              requestCert: tls.verify,
              rejectUnauthorized: tls.verify,
              minVersion: 'TLSv1.2',
            })
          : createHttpServer(),
      );
      await bind(server, address.port, address.host);
      const bound = server.address() as AddressInfo;
      const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
      return `tcp://${host}:${bound.port}`;
    },

    async close() {
      const closing = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      servers.length = 0;
      await Promise.all(unixPaths.splice(0).map((p) => rm(p, { force: true })));
    },
  };
}
