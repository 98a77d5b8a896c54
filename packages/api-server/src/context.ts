import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { goJsonError } from './gojson.js';
import { StdStream, stdcopyWriter } from './stdcopy.js';
import { isChunked } from './transport.js';
import type { HeaderMap, Transport } from './transport.js';
import { InvalidParameterError, versionAtLeast } from '@berth/api-types';

/** A response of one JSON document per line, each flushed as it is written. */
export interface JsonLineStream {
  write(value: unknown): void;
  end(): void;
}

export interface HijackOptions {
  /** Frame stdout and stderr with stdcopy headers (a container without a TTY). */
  multiplexed: boolean;
}

/** The hijacked connection of attach or exec start. */
export interface HijackedStreams {
  /**
   * What the client sends after the request: the container's stdin. It ends ('end') at the
   * client's EOF (a half-close, or any close on a unix socket) and closes without ending when
   * the connection breaks (a TCP reset).
   */
  stdin: Readable;
  /** Where stdout goes: framed as stream 1 when multiplexed, raw otherwise. */
  stdout: Writable;
  /** Where stderr goes: framed as stream 2 when multiplexed, the same raw stream otherwise. */
  stderr: Writable;
  /** Ends the session once queued output is written (the client sees EOF). */
  close(): void;
}

/** A streamed container output (logs): stdout and stderr, framed when multiplexed. */
export interface OutputStreams {
  stdout: Writable;
  stderr: Writable;
  end(): void;
}

/** API 1.42 named the multiplexed content type; older clients only know raw-stream. */
function outputContentType(multiplexed: boolean, apiVersion: string): string {
  return multiplexed && versionAtLeast(apiVersion, '1.42')
    ? 'application/vnd.docker.multiplexed-stream'
    : 'application/vnd.docker.raw-stream';
}

/**
 * stdout and stderr over one output: stdcopy frames, or both raw onto it for a TTY. Ending
 * waits for frames still queued in either writer before it ends the output.
 */
function outputPair(out: Writable, multiplexed: boolean): OutputStreams {
  if (!multiplexed) return { stdout: out, stderr: out, end: () => out.end() };
  const stdout = stdcopyWriter(out, StdStream.stdout);
  const stderr = stdcopyWriter(out, StdStream.stderr);
  let open = 2;
  const finished = (): void => {
    if (--open === 0) out.end();
  };
  return { stdout, stderr, end: () => [stdout, stderr].forEach((w) => w.end(finished)) };
}

type ResponseMode = 'none' | 'done' | 'json-lines' | 'raw' | 'hijacked';

export interface ContextInit {
  request: IncomingMessage;
  transport: Transport;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  apiVersion: string;
  baseHeaders: HeaderMap;
  /** The route may hijack: a chunked body is stdin, not a document. */
  hijackable: boolean;
}

/** Everything a route handler sees of one request, and the ways it can answer. */
export class RequestContext {
  readonly request: IncomingMessage;
  readonly method: string;
  /** The unversioned, decoded path. */
  readonly path: string;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  /** The API version the client asked for (the current one for unversioned paths). */
  readonly apiVersion: string;
  private readonly transport: Transport;
  private readonly headers: HeaderMap;
  private readonly hijackable: boolean;
  private bodyPromise: Promise<Buffer> | undefined;
  private mode: ResponseMode = 'none';
  private jsonStream: JsonLineStream | undefined;
  private abort: AbortController | undefined;
  private closed = false;

  constructor(init: ContextInit) {
    this.request = init.request;
    this.method = init.request.method ?? 'GET';
    this.path = init.path;
    this.params = init.params;
    this.query = init.query;
    this.apiVersion = init.apiVersion;
    this.transport = init.transport;
    this.headers = { ...init.baseHeaders };
    this.hijackable = init.hijackable;
    this.transport.onClose(() => {
      this.closed = true;
      this.abort?.abort();
    });
  }

  /**
   * Aborted when the client goes away (or the response is over): stop streaming then. Made on
   * first use: most requests never ask, and an AbortController with the DOMException its abort()
   * makes cost more than answering GET /_ping (a third of the daemon's CPU under a ping load).
   */
  get signal(): AbortSignal {
    if (!this.abort) {
      this.abort = new AbortController();
      if (this.closed) this.abort.abort();
    }
    return this.abort.signal;
  }

  get requestHeaders(): IncomingHttpHeaders {
    return this.request.headers;
  }

  /** Whether a response has begun. */
  get responded(): boolean {
    return this.mode !== 'none';
  }

  /** Sets a header on the response this handler is about to send. */
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  /** A query parameter read as Docker's BoolValue: empty, 0, no, false and none are false. */
  queryBool(name: string): boolean {
    const v = (this.query.get(name) ?? '').trim().toLowerCase();
    return !(v === '' || v === '0' || v === 'no' || v === 'false' || v === 'none');
  }

  /** An integer query parameter, `fallback` when absent; a 400 when it is not a number. */
  queryInt(name: string, fallback: number): number {
    const raw = this.query.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new InvalidParameterError(`invalid value for ${name}: ${raw}`);
    return n;
  }

  /** The request body, read whole and once (empty on a hijack route whose body is stdin). */
  body(): Promise<Buffer> {
    const stdinBody = this.hijackable && isChunked(this.request);
    this.bodyPromise ??= stdinBody ? Promise.resolve(Buffer.alloc(0)) : this.transport.readBody();
    return this.bodyPromise;
  }

  /**
   * The request body as a stream, for uploads too big to buffer (build context, image load,
   * archive PUT). Use it or body(), not both.
   */
  bodyStream(): Readable {
    return this.request;
  }

  /** The body parsed as JSON; undefined for an empty body, a 400 for malformed JSON. */
  async json<T = unknown>(): Promise<T | undefined> {
    const text = (await this.body()).toString('utf8');
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new InvalidParameterError(`invalid JSON: ${goJsonError(text) ?? (err as Error).message}`);
    }
  }

  private claim(mode: ResponseMode): void {
    if (this.mode !== 'none') throw new Error(`${this.method} ${this.path}: response already sent`);
    this.mode = mode;
  }

  /** Answers with a JSON document (Docker's encoder ends it with a newline). */
  send(status: number, value: unknown): void {
    this.claim('done');
    const body = Buffer.from(`${JSON.stringify(value)}\n`);
    this.transport.send(status, { ...this.headers, 'Content-Type': 'application/json' }, body);
  }

  /** Answers with text (or bytes) of the given type. */
  sendText(status: number, text: string | Buffer, contentType = 'text/plain; charset=utf-8'): void {
    this.claim('done');
    const body = typeof text === 'string' ? Buffer.from(text) : text;
    this.transport.send(status, { ...this.headers, 'Content-Type': contentType }, this.method === 'HEAD' ? Buffer.alloc(0) : body);
  }

  /** Answers with a status and no body (204 by default). */
  noContent(status = 204): void {
    this.claim('done');
    this.transport.send(status, this.headers, undefined);
  }

  /** Starts a JSON-lines response: headers go out at once, then one object per line. */
  streamJson(status = 200): JsonLineStream {
    this.claim('json-lines');
    const out = this.transport.begin(status, { ...this.headers, 'Content-Type': 'application/json' });
    this.jsonStream = {
      write: (value) => {
        if (!out.writableEnded && !out.destroyed) out.write(`${JSON.stringify(value)}\n`);
      },
      end: () => {
        if (!out.writableEnded) out.end();
      },
    };
    return this.jsonStream;
  }

  /** Starts a streamed response of raw bytes (logs, export, save): headers go out at once. */
  streamRaw(contentType: string, status = 200): Writable {
    this.claim('raw');
    return this.transport.begin(status, { ...this.headers, 'Content-Type': contentType });
  }

  /**
   * Takes over the connection for attach or exec start. With `Upgrade: tcp` the client gets
   * `101 UPGRADED`, else a `200` whose body is the raw stream. A Content-Length body (exec
   * start's JSON) is consumed first; what follows is stdin.
   */
  async hijack(options: HijackOptions): Promise<HijackedStreams> {
    if (!this.hijackable) throw new Error(`${this.method} ${this.path}: the route is not marked hijack`);
    await this.body();
    this.claim('hijacked');
    const contentType = outputContentType(options.multiplexed, this.apiVersion);
    const conn = this.transport.hijack({ ...this.headers, 'Content-Type': contentType });
    const { stdout, stderr, end } = outputPair(conn.output, options.multiplexed);
    return { stdin: conn.input, stdout, stderr, close: end };
  }

  /**
   * Starts a streamed 200 of container output (logs): chunked, headers at once, stdcopy
   * frames when multiplexed (no TTY), raw bytes for a TTY.
   */
  streamOutput(options: HijackOptions): OutputStreams {
    this.claim('raw');
    const out = this.transport.begin(200, { ...this.headers, 'Content-Type': outputContentType(options.multiplexed, this.apiVersion) });
    return outputPair(out, options.multiplexed);
  }

  /**
   * Reports a failure. Before the headers: a JSON `{"message"}` with the status. After them
   * the status is gone: a JSON-lines stream gets Docker's in-band error line; others are cut.
   */
  fail(status: number, message: string): void {
    if (!this.transport.headersSent) {
      this.mode = 'none';
      // 304 (start a running container) carries no body.
      if (status === 304) this.noContent(304);
      else this.send(status, { message });
      return;
    }
    if (this.mode === 'json-lines' && this.jsonStream) {
      this.jsonStream.write({ errorDetail: { message }, error: message });
      this.jsonStream.end();
      return;
    }
    this.request.socket.destroy();
  }
}
