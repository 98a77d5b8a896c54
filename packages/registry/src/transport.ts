// HTTP to one registry endpoint: ping and auth discovery, Basic or Bearer auth per request, redirects.
import type { Readable } from 'node:stream';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { basicHeader, credentialsOf, parseChallenges, TokenCache, type AuthConfig, type Challenge } from './auth.js';
import type { Endpoint } from './endpoints.js';
import { errorFromResponse, networkErrorMessage, RegistryError } from './errors.js';

export interface TransportOptions {
  userAgent?: string;
  /** Milliseconds to wait for a TCP/TLS connection (default 30 s). */
  connectTimeoutMs?: number;
  /** Undici dispatcher to use instead of a private Agent (TLS settings, proxies). */
  dispatcher?: Dispatcher;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer>; dump(): Promise<void> };
}

export interface SendOptions {
  method?: Dispatcher.HttpMethod;
  /** Path and query under the endpoint (`/v2/…`), or an absolute URL (upload locations). */
  path: string;
  /** Token scopes this request needs (`repository:x:pull`). */
  scopes?: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable | string;
  /** Statuses returned to the caller; any other status becomes a RegistryError. */
  ok?: number[];
  /** A v1 API request (search): no v2 ping or token, Basic credentials when there are some. */
  v1?: boolean;
  /** What the request is about, for error messages (`manifest`, `blob`). */
  what?: string;
  signal?: AbortSignal;
}

export function header(res: { headers: RegistryResponse['headers'] }, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export class RegistryTransport {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly tokens = new TokenCache();
  private challenges: Promise<Challenge[]> | undefined;
  private base: string;

  constructor(
    readonly endpoint: Endpoint,
    private readonly auth: AuthConfig | undefined,
    private readonly opts: TransportOptions = {},
  ) {
    this.base = endpoint.baseUrl;
    this.ownsDispatcher = opts.dispatcher === undefined;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({ connect: { timeout: opts.connectTimeoutMs ?? 30_000, rejectUnauthorized: endpoint.secure } }).compose(
        interceptors.redirect({ maxRedirections: 10 }),
      );
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The API's base URL; for an insecure registry, known once a ping chose https or http. */
  get baseUrl(): string {
    return this.base;
  }

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
  }

  /** `GET /v2/`: 200 (no auth) or 401 with the challenges to answer; anything else is not a v2 registry. */
  ping(): Promise<Challenge[]> {
    this.challenges ??= this.doPing().catch((err: unknown) => {
      this.challenges = undefined;
      throw err;
    });
    return this.challenges;
  }

  private async doPing(): Promise<Challenge[]> {
    const res = await this.firstContact('/v2/', {});
    const body = await res.body.text();
    if (res.status === 200) return [];
    if (res.status === 401) return parseChallenges(res.headers['www-authenticate']);
    throw errorFromResponse(res.status, body, 'registry ping');
  }

  /**
   * Sends a request with whatever auth the registry asked for. On a 401 under token auth it
   * retries once with a fresh token that also covers any scope the new challenge names.
   */
  async send(o: SendOptions): Promise<RegistryResponse> {
    const creds = credentialsOf(this.auth);
    const challenges = o.v1 ? (creds ? [{ scheme: 'basic', params: {} }] : []) : await this.ping();
    const method = o.method ?? 'GET';
    const url = this.url(o.path);
    const scopes = [...(o.scopes ?? [])];
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...o.headers };
      const authorization = await this.authorization(challenges, scopes, attempt > 0);
      if (authorization !== undefined) headers.authorization = authorization;
      const res =
        o.v1 && method === 'GET'
          ? await this.firstContact(o.path, { headers, signal: o.signal })
          : await this.raw(method, url, { headers, body: o.body, signal: o.signal });
      const retryable = attempt === 0 && res.status === 401 && challenges.some((c) => c.scheme === 'bearer');
      if (retryable && (o.body === undefined || typeof o.body === 'string' || Buffer.isBuffer(o.body))) {
        const asked = parseChallenges(res.headers['www-authenticate']).find((c) => c.scheme === 'bearer')?.params.scope;
        for (const s of asked?.split(' ') ?? []) if (s !== '' && !scopes.includes(s)) scopes.push(s);
        await res.body.dump();
        continue;
      }
      if ((o.ok ?? [200]).includes(res.status)) return res;
      const text = await res.body.text();
      throw errorFromResponse(res.status, text, o.what ?? url);
    }
  }

  /** The first request to an insecure registry decides between https and plain http. */
  private async firstContact(path: string, o: { headers?: Record<string, string>; signal?: AbortSignal | undefined }): Promise<RegistryResponse> {
    try {
      return await this.raw('GET', this.url(path), o);
    } catch (err) {
      const unreachable = err instanceof RegistryError && err.status === undefined;
      if (this.endpoint.secure || !unreachable || !this.base.startsWith('https:')) throw err;
      this.base = this.base.replace(/^https:/, 'http:');
      return this.raw('GET', this.url(path), o);
    }
  }

  private async authorization(challenges: Challenge[], scopes: string[], fresh: boolean): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      if (this.auth?.registrytoken) return `Bearer ${this.auth.registrytoken}`;
      return `Bearer ${await this.token(bearer, scopes, fresh)}`;
    }
    const creds = credentialsOf(this.auth);
    if (challenges.some((c) => c.scheme === 'basic') && creds) return basicHeader(creds);
    return undefined;
  }

  /** A token for these scopes from the challenge's realm (anonymous, or with Basic credentials). */
  private async token(challenge: Challenge, scopes: string[], fresh: boolean): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('bearer auth challenge has no realm');
    const key = [...scopes].sort().join(' ');
    if (!fresh) {
      const cached = this.tokens.get(key);
      if (cached !== undefined) return cached;
    }
    const u = new URL(realm);
    if (challenge.params.service) u.searchParams.set('service', challenge.params.service);
    for (const s of scopes) u.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    const creds = credentialsOf(this.auth);
    if (creds) headers.authorization = basicHeader(creds);
    const started = Date.now();
    const res = await this.raw('GET', u.toString(), { headers });
    const text = await res.body.text();
    if (res.status !== 200) {
      if (res.status === 401) {
        const details = parseJson<{ details?: string }>(text)?.details;
        if (details) throw new RegistryError(`unauthorized: ${details}`, { status: 401, code: 'UNAUTHORIZED' });
      }
      if (parseJson<{ errors?: unknown }>(text)?.errors) throw errorFromResponse(res.status, text, 'token');
      throw new RegistryError(
        `token auth attempt for registry: ${u.origin}${u.pathname}?${u.searchParams.toString()} request failed with status: ${res.status}`,
        { status: res.status },
      );
    }
    const body = parseJson<{ token?: string; access_token?: string; expires_in?: number; issued_at?: string }>(text);
    const token = body?.token ?? body?.access_token;
    if (!token) throw new RegistryError('authorization server did not include a token in the response');
    const issued = body?.issued_at ? Date.parse(body.issued_at) : NaN;
    this.tokens.set(key, token, body?.expires_in ?? 60, Number.isNaN(issued) ? started : issued);
    return token;
  }

  private async raw(
    method: Dispatcher.HttpMethod,
    url: string,
    o: { headers?: Record<string, string>; body?: Buffer | Readable | string | undefined; signal?: AbortSignal | undefined },
  ): Promise<RegistryResponse> {
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'berth', ...o.headers };
    try {
      const res = await request(url, {
        method,
        headers,
        body: o.body ?? null,
        dispatcher: this.dispatcher,
        signal: o.signal ?? null,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body as RegistryResponse['body'] };
    } catch (err) {
      if (err instanceof RegistryError || (err as Error).name === 'AbortError') throw err;
      throw new RegistryError(networkErrorMessage(method, url, err), { cause: err });
    }
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
