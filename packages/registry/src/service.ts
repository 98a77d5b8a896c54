// The registry side of the engine: resolve names to endpoints, then pull, push, login, search.
import { credentialsOf, type AuthConfig } from './auth.js';
import { RegistryClient, type SearchResult } from './client.js';
import { DOCKER_HUB_INDEX, domainFromServerAddress, InsecureRegistries, resolveEndpoint, type Endpoint } from './endpoints.js';
import { RegistryError } from './errors.js';
import { pull, type PulledImage, type PullOptions } from './pull.js';
import { push, type PushOptions, type PushResult, type PushSource } from './push.js';
import { DEFAULT_REGISTRY, isRegistryHost, normalizeDomain, parseReference, type Reference } from './reference.js';
import { RegistryTransport, type TransportOptions } from './transport.js';

export interface RegistryServiceOptions extends TransportOptions {
  /** Registry for names without a host (default `docker.io`). */
  defaultRegistry?: string;
  /** `--insecure-registry` entries: hosts or CIDRs, spoken to over plain HTTP (127.0.0.0/8 always is). */
  insecureRegistries?: string[];
  /** `--registry-mirror` URLs, tried in order before Docker Hub for its images. */
  registryMirrors?: string[];
}

export interface LoginResult {
  Status: string;
  IdentityToken: string;
}

export class RegistryService {
  private readonly insecure: InsecureRegistries;
  private readonly clients = new Map<string, Promise<RegistryClient>>();

  constructor(private readonly opts: RegistryServiceOptions = {}) {
    this.insecure = new InsecureRegistries(opts.insecureRegistries ?? []);
  }

  parse(name: string): Reference {
    return parseReference(name, { defaultRegistry: this.opts.defaultRegistry ?? DEFAULT_REGISTRY });
  }

  endpoint(domain: string): Promise<Endpoint> {
    return resolveEndpoint(normalizeDomain(domain), this.insecure);
  }

  /** A client for a registry host with these credentials; clients (and their tokens) are reused. */
  client(domain: string, auth?: AuthConfig): Promise<RegistryClient> {
    const creds = credentialsOf(auth);
    const key = JSON.stringify([domain, creds?.username ?? '', creds?.password ?? '', auth?.registrytoken ?? '']);
    let c = this.clients.get(key);
    if (!c) {
      c = this.endpoint(domain).then((ep) => new RegistryClient(new RegistryTransport(ep, auth, this.opts)));
      c.catch(() => this.clients.delete(key));
      this.clients.set(key, c);
    }
    return c;
  }

  /**
   * Docker Hub images come from the first mirror that has them, else from Docker Hub itself, as
   * dockerd's pull falls back through its endpoints.
   */
  async pull(name: string, opts: PullOptions & { auth?: AuthConfig }): Promise<PulledImage> {
    const ref = this.parse(name);
    if (ref.domain === DEFAULT_REGISTRY) {
      for (const mirror of this.opts.registryMirrors ?? []) {
        try {
          return await pull(await this.mirrorClient(mirror), ref, opts);
        } catch {
          // Not there, or not reachable: the next endpoint.
        }
      }
    }
    return pull(await this.client(ref.domain, opts.auth), ref, opts);
  }

  /** A mirror is read anonymously; plain http when its URL says so or its host is insecure. */
  private mirrorClient(mirror: string): Promise<RegistryClient> {
    const url = new URL(mirror.includes('://') ? mirror : `https://${mirror}`);
    const key = JSON.stringify(['mirror', url.href]);
    let c = this.clients.get(key);
    if (!c) {
      c = this.insecure.isInsecure(url.host).then((insecure) => {
        const endpoint: Endpoint = { domain: DEFAULT_REGISTRY, baseUrl: `${url.protocol}//${url.host}`, secure: url.protocol === 'https:' && !insecure, official: false };
        return new RegistryClient(new RegistryTransport(endpoint, undefined, this.opts));
      });
      c.catch(() => this.clients.delete(key));
      this.clients.set(key, c);
    }
    return c;
  }

  async push(name: string, source: PushSource, opts: PushOptions & { auth?: AuthConfig } = {}): Promise<PushResult> {
    const ref = this.parse(name);
    return push(await this.client(ref.domain, opts.auth), ref, source, opts);
  }

  /**
   * Checks credentials against the registry's `/v2/` with its auth flow (Basic, or a token
   * fetched with them), as `POST /auth` does. The result is what the daemon answers.
   */
  async login(auth: AuthConfig): Promise<LoginResult> {
    const domain = domainFromServerAddress(auth.serveraddress ?? '');
    const creds = credentialsOf(auth);
    if (!creds) {
      // The docker CLI's wording for the same refusals.
      const message = auth.username || auth.auth ? 'Error: Password Required' : 'Error: Non-null Username Required';
      throw new RegistryError(message, { status: 400 });
    }
    const ep = await this.endpoint(domain);
    const transport = new RegistryTransport(ep, { ...auth, username: creds.username, password: creds.password }, this.opts);
    try {
      const res = await transport.send({ path: '/v2/', ok: [200, 401] });
      await res.body.dump();
      if (res.status !== 200) {
        throw new RegistryError(`login attempt to ${transport.baseUrl}/v2/ failed with status: 401 Unauthorized`, { status: 401, code: 'UNAUTHORIZED' });
      }
      return { Status: 'Login Succeeded', IdentityToken: '' };
    } finally {
      await transport.close();
    }
  }

  /**
   * Docker's search: `term` may start with a registry host. Asks the v1 search API (Docker Hub's
   * index for docker.io); a registry without one (404) is searched by filtering its catalog.
   */
  async search(term: string, opts: { auth?: AuthConfig; limit?: number } = {}): Promise<SearchResult[]> {
    const limit = opts.limit ?? 25;
    const slash = term.indexOf('/');
    const hasHost = slash > 0 && isRegistryHost(term.slice(0, slash));
    const domain = normalizeDomain(hasHost ? term.slice(0, slash) : (this.opts.defaultRegistry ?? DEFAULT_REGISTRY));
    const query = hasHost ? term.slice(slash + 1) : term;
    const client =
      domain === DEFAULT_REGISTRY
        ? new RegistryClient(new RegistryTransport({ domain, baseUrl: `https://${DOCKER_HUB_INDEX}`, secure: true, official: true }, opts.auth, this.opts))
        : await this.client(domain, opts.auth);
    try {
      const found = await client.searchV1(query, limit);
      if (found !== undefined) return found.slice(0, limit);
      let names: string[];
      try {
        names = await client.catalog();
      } catch (err) {
        throw new RegistryError('Unexpected status code 404', { status: 404, cause: err });
      }
      const needle = query.replace(/^library\//, '').toLowerCase();
      return names
        .filter((n) => n.toLowerCase().includes(needle))
        .slice(0, limit)
        .map((name) => ({ star_count: 0, is_official: false, name, is_trusted: false, is_automated: false, description: '' }));
    } finally {
      if (domain === DEFAULT_REGISTRY) await client.transport.close();
    }
  }

  /** Closes the HTTP connections of every client made so far. */
  async close(): Promise<void> {
    const clients = await Promise.allSettled([...this.clients.values()]);
    this.clients.clear();
    await Promise.all(clients.map((c) => (c.status === 'fulfilled' ? c.value.transport.close() : undefined)));
  }
}
