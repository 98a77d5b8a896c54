import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import type { Duplex, Readable, Writable } from 'node:stream';

export type HeaderMap = Record<string, string>;

/** The connection once hijacked: what the client sends, and where the answer goes. */
export interface RawConnection {
  input: Readable;
  /** Ending it ends the session. */
  output: Writable;
}

/**
 * How one response travels back: through node's ServerResponse for ordinary requests, or
 * written by hand on the socket of a request that asked for `Upgrade` (node hands those over
 * raw, with any body bytes still unread).
 */
export interface Transport {
  readonly headersSent: boolean;
  /** A complete response. */
  send(status: number, headers: HeaderMap, body: Buffer | undefined): void;
  /** Status and headers now; the returned stream is the body (chunked, or close-delimited). */
  begin(status: number, headers: HeaderMap): Writable;
  /** The whole request body (on an Upgrade request: its Content-Length bytes; what follows is stdin). */
  readBody(): Promise<Buffer>;
  /** Hands the connection over: 101 UPGRADED on an Upgrade request, else a close-delimited 200. */
  hijack(headers: HeaderMap): RawConnection;
  /** Called once when the client goes away or the response is over. */
  onClose(callback: () => void): void;
}

function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** A request whose body is a stream of stdin rather than a framed document. */
export function isChunked(req: IncomingMessage): boolean {
  return /\bchunked\b/i.test(req.headers['transfer-encoding'] ?? '');
}

/** What node's HTTP server attaches to a connection (internal, stable since node 12). */
interface ParsedSocket {
  parser?: { unconsume?: () => void } | null;
  _handle?: { _consumed?: boolean } | null;
}

/**
 * Stops node's HTTP parser from reading a connection so its later bytes reach our own
 * listeners, as node itself does before an 'upgrade'. False when this node lacks the hooks.
 */
function detachFromHttpParser(socket: Socket): boolean {
  const s = socket as Socket & ParsedSocket;
  const parser = s.parser;
  if (!parser || typeof parser.unconsume !== 'function') return false;
  socket.removeAllListeners('data');
  socket.removeAllListeners('end');
  if (s._handle?._consumed) {
    // The parser reads the handle directly, bypassing 'data'; give the stream back.
    parser.unconsume();
    s._handle._consumed = false;
  }
  return true;
}

export class HttpTransport implements Transport {
  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  private sent = false;

  get headersSent(): boolean {
    return this.sent || this.res.headersSent;
  }

  send(status: number, headers: HeaderMap, body: Buffer | undefined): void {
    this.res.writeHead(status, body ? { ...headers, 'Content-Length': String(body.length) } : headers);
    this.res.end(body);
  }

  begin(status: number, headers: HeaderMap): Writable {
    this.res.writeHead(status, headers);
    this.res.flushHeaders();
    return this.res;
  }

  readBody(): Promise<Buffer> {
    if (this.req.readableEnded) return Promise.resolve(Buffer.alloc(0));
    return readAll(this.req);
  }

  hijack(headers: HeaderMap): RawConnection {
    // A chunked body is stdin streamed inside HTTP (dockerode's HttpDuplex). Otherwise an old
    // client keeps writing raw stdin on the connection after the request: take the socket from
    // node's parser and answer by hand, as Docker's hijack does.
    const socket = this.req.socket;
    if (!isChunked(this.req) && detachFromHttpParser(socket)) {
      this.sent = true;
      let text = 'HTTP/1.1 200 OK\r\n';
      for (const [name, value] of Object.entries({ ...headers, Connection: 'close' })) text += `${name}: ${value}\r\n`;
      socket.write(`${text}\r\n`);
      socket.on('error', () => socket.destroy());
      return { input: socket.pipe(new PassThrough()), output: socket };
    }
    // No chunking: the body is the raw stream, delimited by closing the connection, as the
    // hand-written `200 OK` of Docker's hijack.
    this.res.useChunkedEncodingByDefault = false;
    this.begin(200, headers);
    return { input: this.req, output: this.res };
  }

  onClose(callback: () => void): void {
    this.res.once('close', callback);
  }
}

export class UpgradeTransport implements Transport {
  private sent = false;
  private pending: Buffer;

  constructor(
    private readonly req: IncomingMessage,
    private readonly socket: Duplex,
    head: Buffer,
  ) {
    this.pending = head;
    // node removed its own error handling from an upgraded socket; a client that vanishes
    // (EPIPE, ECONNRESET) must end the session, not the daemon.
    socket.on('error', () => socket.destroy());
  }

  get headersSent(): boolean {
    return this.sent;
  }

  private writeHead(status: number, reason: string, headers: HeaderMap): void {
    this.sent = true;
    let text = `HTTP/1.1 ${status} ${reason}\r\n`;
    for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
    this.socket.write(`${text}\r\n`);
  }

  send(status: number, headers: HeaderMap, body: Buffer | undefined): void {
    const length = String(body?.length ?? 0);
    this.writeHead(status, STATUS_CODES[status] ?? '', { ...headers, 'Content-Length': length, Connection: 'close' });
    this.socket.end(body);
  }

  begin(status: number, headers: HeaderMap): Writable {
    this.writeHead(status, STATUS_CODES[status] ?? '', { ...headers, Connection: 'close' });
    return this.socket;
  }

  readBody(): Promise<Buffer> {
    const length = Number(this.req.headers['content-length'] ?? 0);
    if (isChunked(this.req) || !(length > 0)) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
      const take = (): boolean => {
        if (this.pending.length < length) return false;
        this.socket.off('data', onData);
        this.socket.off('error', reject);
        this.socket.off('end', onEnd);
        this.socket.pause();
        const body = this.pending.subarray(0, length);
        this.pending = this.pending.subarray(length);
        resolve(body);
        return true;
      };
      const onData = (chunk: Buffer): void => {
        this.pending = Buffer.concat([this.pending, chunk]);
        take();
      };
      const onEnd = (): void => reject(new Error('unexpected EOF in request body'));
      if (take()) return;
      this.socket.on('data', onData);
      this.socket.once('error', reject);
      this.socket.once('end', onEnd);
    });
  }

  hijack(headers: HeaderMap): RawConnection {
    this.writeHead(101, 'UPGRADED', { ...headers, Connection: 'Upgrade', Upgrade: 'tcp' });
    // Bytes read past the body are the first stdin bytes. The pipe restarts a socket that
    // readBody paused, and the PassThrough starts out like any fresh readable.
    if (this.pending.length > 0) this.socket.unshift(this.pending);
    this.pending = Buffer.alloc(0);
    const input = this.socket.pipe(new PassThrough());
    // A half-close by the client ends stdin (EOF); a dropped connection destroys it instead,
    // so a handler can tell "stdin is over" from "the client is gone".
    let ended = false;
    this.socket.once('end', () => (ended = true));
    this.socket.once('close', () => {
      if (!ended) input.destroy();
    });
    return { input, output: this.socket };
  }

  onClose(callback: () => void): void {
    this.socket.once('close', callback);
  }
}
