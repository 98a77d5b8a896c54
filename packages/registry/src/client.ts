// The distribution v2 API of one registry: manifests, blobs, uploads, catalog, tags, v1 search.
import { Transform, type Readable } from 'node:stream';
import { CATALOG_SCOPE, pullScope, pushScope } from './auth.js';
import { DigestVerifier } from './digest.js';
import { RegistryError } from './errors.js';
import { ACCEPT_MANIFESTS, manifestDigest } from './manifest.js';
import { header, type RegistryTransport } from './transport.js';

export interface FetchedManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
}

export interface UploadOptions {
  /** Repositories on this registry that may already hold the blob, tried with a cross-repository mount. */
  mountFrom?: string[];
  /** Bytes per PATCH; 0 (default) uploads the blob with one PATCH then a PUT. */
  chunkSize?: number;
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

export type UploadResult = { kind: 'exists' } | { kind: 'mounted'; from: string } | { kind: 'pushed' };

export interface SearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_trusted: boolean;
  is_automated: boolean;
  description: string;
}

export class RegistryClient {
  constructor(readonly transport: RegistryTransport) {}

  get endpoint(): RegistryTransport['endpoint'] {
    return this.transport.endpoint;
  }

  /** Checks the registry speaks v2 and learns how it wants to be authenticated. */
  async ping(): Promise<void> {
    await this.transport.ping();
  }

  /** GET a manifest by tag or digest; the bytes must hash to the digest asked for or announced. */
  async getManifest(repo: string, reference: string, opts: { push?: boolean } = {}): Promise<FetchedManifest> {
    const res = await this.transport.send({
      path: `/v2/${repo}/manifests/${reference}`,
      scopes: [opts.push ? pushScope(repo) : pullScope(repo)],
      headers: { accept: ACCEPT_MANIFESTS.join(', ') },
      what: `manifest for ${repo}:${reference}`,
    });
    const bytes = new Uint8Array(await res.body.arrayBuffer());
    const digest = manifestDigest(bytes);
    const announced = header(res, 'docker-content-digest');
    if (reference.includes(':') && reference !== digest) {
      throw new RegistryError(`manifest verification failed for digest ${reference}`, { code: 'DIGEST_INVALID' });
    }
    if (announced !== undefined && announced !== digest) {
      throw new RegistryError(`manifest verification failed for digest ${announced}`, { code: 'DIGEST_INVALID' });
    }
    const mediaType = (header(res, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
    return { bytes, digest, mediaType };
  }

  /** HEAD a blob: its size when the repository has it, undefined when not. */
  async statBlob(repo: string, digest: string, opts: { push?: boolean } = {}): Promise<number | undefined> {
    const res = await this.transport.send({
      method: 'HEAD',
      path: `/v2/${repo}/blobs/${digest}`,
      scopes: [opts.push ? pushScope(repo) : pullScope(repo)],
      ok: [200, 404],
      what: `blob ${digest}`,
    });
    await res.body.dump();
    if (res.status === 404) return undefined;
    return Number(header(res, 'content-length') ?? '0');
  }

  /**
   * GET a blob (following redirects to blob storage). The stream errors at its end if the
   * bytes do not hash to `digest`.
   */
  async openBlob(repo: string, digest: string, signal?: AbortSignal): Promise<{ stream: Readable; size: number }> {
    const res = await this.transport.send({ path: `/v2/${repo}/blobs/${digest}`, scopes: [pullScope(repo)], what: `blob ${digest}`, ...(signal ? { signal } : {}) });
    const size = Number(header(res, 'content-length') ?? '0');
    const verifier = new DigestVerifier(digest);
    res.body.on('error', (err) => verifier.destroy(err));
    return { stream: res.body.pipe(verifier), size };
  }

  /** Pushes a blob unless the repository has it: HEAD, then mount attempts, then POST → PATCH → PUT. */
  async uploadBlob(repo: string, digest: string, size: number, open: () => Readable, opts: UploadOptions = {}): Promise<UploadResult> {
    if ((await this.statBlob(repo, digest, { push: true })) !== undefined) return { kind: 'exists' };
    for (const from of opts.mountFrom ?? []) {
      if (from === repo) continue;
      const res = await this.transport.send({
        method: 'POST',
        path: `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
        scopes: [pushScope(repo), pullScope(from)],
        ok: [201, 202],
        what: `blob upload for ${repo}`,
      });
      await res.body.dump();
      if (res.status === 201) return { kind: 'mounted', from };
      // 202: the registry opened an upload instead; abandon it and try the next source.
      await this.cancelUpload(repo, header(res, 'location'));
    }
    let location = await this.startUpload(repo, opts.signal);
    let sent = 0;
    const chunkSize = opts.chunkSize ?? 0;
    const source = open();
    if (chunkSize > 0) {
      for await (const chunk of chunked(source, chunkSize)) {
        location = await this.patch(repo, location, chunk, sent, opts.signal);
        sent += chunk.length;
        opts.onProgress?.(sent);
      }
    } else {
      const counted = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          sent += chunk.length;
          opts.onProgress?.(sent);
          cb(null, chunk);
        },
      });
      source.on('error', (err) => counted.destroy(err));
      location = await this.patch(repo, location, source.pipe(counted), undefined, opts.signal);
    }
    const put = new URL(location);
    put.searchParams.set('digest', digest);
    const res = await this.transport.send({
      method: 'PUT',
      path: put.toString(),
      scopes: [pushScope(repo)],
      headers: { 'content-length': '0' },
      body: '',
      ok: [201, 204],
      what: `blob ${digest}`,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    await res.body.dump();
    if (sent !== size) throw new RegistryError(`blob ${digest}: sent ${sent} bytes, expected ${size}`);
    return { kind: 'pushed' };
  }

  private async startUpload(repo: string, signal?: AbortSignal): Promise<string> {
    const res = await this.transport.send({
      method: 'POST',
      path: `/v2/${repo}/blobs/uploads/`,
      scopes: [pushScope(repo)],
      ok: [202],
      what: `blob upload for ${repo}`,
      ...(signal ? { signal } : {}),
    });
    await res.body.dump();
    return this.location(res.headers.location);
  }

  private async patch(repo: string, location: string, body: Buffer | Readable, offset: number | undefined, signal?: AbortSignal): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (offset !== undefined && Buffer.isBuffer(body)) {
      headers['content-range'] = `${offset}-${offset + body.length - 1}`;
      headers['content-length'] = String(body.length);
    }
    const res = await this.transport.send({
      method: 'PATCH',
      path: location,
      scopes: [pushScope(repo)],
      headers,
      body,
      ok: [202],
      what: `blob upload for ${repo}`,
      ...(signal ? { signal } : {}),
    });
    await res.body.dump();
    return this.location(res.headers.location);
  }

  private async cancelUpload(repo: string, location: string | undefined): Promise<void> {
    if (!location) return;
    const res = await this.transport.send({
      method: 'DELETE',
      path: this.location(location),
      scopes: [pushScope(repo)],
      ok: [204, 404, 405],
    });
    await res.body.dump();
  }

  /** Upload locations may be relative to the endpoint. */
  private location(value: string | string[] | undefined): string {
    const v = Array.isArray(value) ? value[0] : value;
    if (!v) throw new RegistryError('registry did not return an upload location');
    return new URL(v, this.transport.baseUrl).toString();
  }

  /** PUT a manifest under a tag or digest; returns the digest the registry stored it under. */
  async putManifest(repo: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const res = await this.transport.send({
      method: 'PUT',
      path: `/v2/${repo}/manifests/${reference}`,
      scopes: [pushScope(repo)],
      headers: { 'content-type': mediaType },
      body: Buffer.from(bytes),
      ok: [201],
      what: `manifest for ${repo}:${reference}`,
    });
    await res.body.dump();
    return header(res, 'docker-content-digest') ?? manifestDigest(bytes);
  }

  /** All repository names (`GET /v2/_catalog`, following `Link` pagination). */
  async catalog(pageSize = 100): Promise<string[]> {
    return this.paged(`/v2/_catalog?n=${pageSize}`, [CATALOG_SCOPE], 'repositories');
  }

  /** All tags of a repository (`GET /v2/<name>/tags/list`). */
  async tags(repo: string, pageSize = 100): Promise<string[]> {
    return this.paged(`/v2/${repo}/tags/list?n=${pageSize}`, [pullScope(repo)], 'tags');
  }

  private async paged(first: string, scopes: string[], field: 'repositories' | 'tags'): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = first;
    while (next !== undefined) {
      const res = await this.transport.send({ path: next, scopes, what: field });
      const body = (await res.body.json()) as Record<string, string[] | null>;
      out.push(...(body[field] ?? []));
      const link = header(res, 'link');
      const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
      next = m?.[1] ? new URL(m[1], this.transport.baseUrl).toString() : undefined;
    }
    return out;
  }

  /** The v1 search API (`GET /v1/search?q=`); undefined when the registry has none (404). */
  async searchV1(term: string, limit?: number): Promise<SearchResult[] | undefined> {
    const q = new URLSearchParams({ q: term });
    if (limit !== undefined) q.set('n', String(limit));
    const res = await this.transport.send({ path: `/v1/search?${q.toString()}`, ok: [200, 404], what: 'search', v1: true });
    if (res.status === 404) {
      await res.body.dump();
      return undefined;
    }
    const body = (await res.body.json()) as { results?: SearchResult[] };
    return body.results ?? [];
  }
}

/** Re-slices a stream into buffers of exactly `size` bytes (the last one shorter). */
async function* chunked(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const c of source) {
    const buf = Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array);
    pending.push(buf);
    length += buf.length;
    while (length >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}
