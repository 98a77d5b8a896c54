import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { MAX_API_VERSION } from '@berth/api-types';
import { CLI_VERSION } from '../build-info.js';
import { ConnectError, DaemonError, isNoDaemon, messageFromBody } from './errors.js';
import { endpointUrl, readTlsFiles } from './host.js';
import type { Endpoint } from './host.js';
import { jsonLines } from './jsonlines.js';

/** The API version the berth CLI speaks: the newest berth serves. */
export const CLIENT_API_VERSION = MAX_API_VERSION;

export interface RequestOptionsLite {
  /** Values; an array repeats the parameter (`changes`, `names`). */
  query?: Record<string, string | number | boolean | string[] | undefined>;
  /** A JSON document, or a raw body (a tar for build/load) sent as is. */
  body?: unknown;
  headers?: OutgoingHttpHeaders;
}

/** A hijacked attach or exec: one duplex socket carrying stdin up and the output down. */
export interface HijackedConnection {
  socket: Socket;
  /** `application/vnd.docker.multiplexed-stream` when the output is stdcopy-framed (API ≥ 1.42). */
  contentType: string;
}

/** The Engine API over a unix socket, TCP or TLS, with Docker's error conventions. */
export class EngineClient {
  readonly url: string;
  private readonly agent: HttpAgent;
  private readonly https: typeof import('node:https') | undefined;

  constructor(
    readonly endpoint: Endpoint,
    readonly apiVersion: string = CLIENT_API_VERSION,
  ) {
    this.url = endpointUrl(endpoint);
    // node:https (and TLS with it) is loaded only for a TLS endpoint: it costs every other run of
    // the CLI start-up time.
    const tls = endpoint.kind === 'tcp' ? endpoint.tls : undefined;
    this.https = tls ? process.getBuiltinModule('node:https') : undefined;
    this.agent =
      tls && this.https
        ? new this.https.Agent({ keepAlive: true, ...readTlsFiles(tls), rejectUnauthorized: tls.verify })
        : new HttpAgent({ keepAlive: true });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }

  private options(method: string, path: string, opts: RequestOptionsLite): RequestOptions {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (Array.isArray(v)) for (const x of v) qs.append(k, x);
      else if (v !== undefined) qs.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    }
    const search = qs.size > 0 ? `?${qs.toString()}` : '';
    const headers: OutgoingHttpHeaders = { 'User-Agent': `Berth-Client/${CLI_VERSION}`, ...opts.headers };
    // Without TLS there is no server name: an empty one stops Node's agent deriving it for every
    // request, which tests the host against its IPv6 regex (compiled on first use, ~8 ms).
    const base: RequestOptions & { servername?: string } = { method, path: `/v${this.apiVersion}${path}${search}`, agent: this.agent, headers };
    if (!this.https) base.servername = '';
    if (this.endpoint.kind === 'unix') return { ...base, socketPath: this.endpoint.path, host: 'localhost' };
    return { ...base, host: this.endpoint.host, port: this.endpoint.port };
  }

  private start(method: string, path: string, opts: RequestOptionsLite, extra: OutgoingHttpHeaders = {}): ClientRequest {
    const o = this.options(method, path, opts);
    let payload: Buffer | Readable | undefined;
    const headers: OutgoingHttpHeaders = { ...(o.headers as OutgoingHttpHeaders), ...extra };
    if (opts.body instanceof Readable || Buffer.isBuffer(opts.body)) {
      payload = opts.body;
    } else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = 'application/json';
    }
    if (Buffer.isBuffer(payload)) headers['Content-Length'] = payload.length;
    const req = (this.https?.request ?? httpRequest)({ ...o, headers });
    if (payload instanceof Readable) payload.pipe(req);
    else req.end(payload);
    return req;
  }

  private connectError(err: Error): Error {
    return isNoDaemon(err) ? new ConnectError(this.url, err) : err;
  }

  /** Sends a request; resolves to the response once its headers arrive, rejects on a 4xx/5xx. */
  request(method: string, path: string, opts: RequestOptionsLite = {}): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = this.start(method, path, opts);
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('response', (res) => {
        if ((res.statusCode ?? 0) < 400) {
          resolve(res);
          return;
        }
        readText(res).then((text) => reject(new DaemonError(res.statusCode ?? 0, messageFromBody(text))), reject);
      });
    });
  }

  /** A request whose answer is one JSON document (undefined for an empty body such as 204). */
  async json<T = unknown>(method: string, path: string, opts: RequestOptionsLite = {}): Promise<T> {
    return readJson<T>(await this.request(method, path, opts));
  }

  /** A request whose answer is a stream of JSON lines. */
  async *jsonLines(method: string, path: string, opts: RequestOptionsLite = {}): AsyncGenerator<unknown> {
    yield* jsonLines(await this.request(method, path, opts));
  }

  /** `HEAD /_ping`-style liveness check: true when a daemon answers 200. */
  async ping(): Promise<boolean> {
    try {
      const res = await this.request('GET', '/_ping');
      res.resume();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  }

  /**
   * Attach or exec start: sends `Upgrade: tcp` and expects `101 UPGRADED`, then hands over the
   * socket (as docker's client, it refuses a daemon that answers without upgrading).
   */
  hijack(method: string, path: string, opts: RequestOptionsLite = {}): Promise<HijackedConnection> {
    return new Promise((resolve, reject) => {
      const req = this.start(method, path, opts, { Connection: 'Upgrade', Upgrade: 'tcp' });
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
        if (head.length > 0) socket.unshift(head);
        resolve({ socket, contentType: headerText(res.headers, 'content-type') });
      });
      req.once('response', (res) => {
        const status = res.statusCode ?? 0;
        readText(res).then((text) => {
          if (status >= 400) reject(new DaemonError(status, messageFromBody(text)));
          else reject(new Error(`unable to upgrade to tcp, received ${status}`));
        }, reject);
      });
    });
  }
}

function headerText(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** The response's body as one JSON document (undefined for an empty body such as 204). */
export async function readJson<T = unknown>(res: IncomingMessage): Promise<T> {
  const text = await readText(res);
  return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
}

function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', reject);
  });
}
