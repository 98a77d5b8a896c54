// A small HTTP registry for fault tests the real registry cannot stage: Bearer token auth with
// its own token service, corrupt and flaky blobs, redirects to another origin, v1 search.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistry {
  url: string;
  host: string;
  manifests: Map<string, { bytes: Buffer; mediaType: string; digestHeader?: string }>;
  blobs: Map<string, Buffer>;
  /** Blobs served with a flipped byte. */
  corrupt: Set<string>;
  /** Blobs that answer 500 this many more times before working. */
  flaky: Map<string, number>;
  /** Blobs served through a 307 to a second server on another port. */
  redirected: Set<string>;
  /** Requests seen, as `METHOD path`. */
  log: string[];
  /** Token requests seen: their scopes and whether they carried credentials. */
  tokenRequests: { scopes: string[]; user: string | undefined }[];
  /** Authorization headers the redirect target received. */
  redirectAuth: (string | undefined)[];
  searchResults?: unknown[];
  close(): Promise<void>;
}

const USER = 'tok-user';
const PASSWORD = 'tok-pass';
export const fakeCredentials = { username: USER, password: PASSWORD };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const grants = new Map<string, Set<string>>();
  const state = {
    manifests: new Map(),
    blobs: new Map(),
    corrupt: new Set<string>(),
    flaky: new Map<string, number>(),
    redirected: new Set<string>(),
    log: [] as string[],
    tokenRequests: [] as FakeRegistry['tokenRequests'],
    redirectAuth: [] as (string | undefined)[],
  } as Omit<FakeRegistry, 'url' | 'host' | 'close'> & { searchResults?: unknown[] };

  const serveBlob = (digest: string, res: ServerResponse, head: boolean): void => {
    const blob = state.blobs.get(digest);
    if (!blob) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
      return;
    }
    const body = state.corrupt.has(digest) ? Buffer.from(blob.map((b, i) => (i === 0 ? b ^ 0xff : b))) : blob;
    res.writeHead(200, { 'content-length': String(body.length), 'docker-content-digest': digest });
    res.end(head ? undefined : body);
  };

  const target = createServer((req, res) => {
    state.redirectAuth.push(req.headers.authorization);
    serveBlob(decodeURIComponent((req.url ?? '').slice(1)), res, false);
  });
  const targetPort = await listen(target);

  let port = 0;
  const realm = (): string => `http://127.0.0.1:${port}/token`;
  const challenge = (res: ServerResponse, scope?: string): void => {
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer realm="${realm()}",service="fake-registry"${scope ? `,scope="${scope}"` : ''}`,
    });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', `http://${req.headers.host}`);
    state.log.push(`${req.method} ${u.pathname}`);
    if (u.pathname === '/token') {
      const scopes = u.searchParams.getAll('scope');
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString()
        : undefined;
      const user = basic?.split(':')[0];
      state.tokenRequests.push({ scopes, user });
      if (basic !== undefined && basic !== `${USER}:${PASSWORD}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      const token = randomBytes(12).toString('hex');
      grants.set(token, new Set(scopes));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date().toISOString() }));
      return;
    }
    if (u.pathname === '/v1/search') {
      if (!state.searchResults) {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      const q = u.searchParams.get('q') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ query: q, num_results: state.searchResults.length, results: state.searchResults }));
      return;
    }
    const granted = grants.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    if (u.pathname === '/v2/') {
      if (!granted) return challenge(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(u.pathname);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, repo = '', kind, ref = ''] = m;
    const scope = `repository:${repo}:pull`;
    if (!granted?.has(scope)) return challenge(res, scope);
    if (kind === 'manifests') {
      const man = state.manifests.get(`${repo}:${ref}`);
      if (!man) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
        return;
      }
      const headers: Record<string, string> = { 'content-type': man.mediaType, 'content-length': String(man.bytes.length) };
      if (man.digestHeader) headers['docker-content-digest'] = man.digestHeader;
      res.writeHead(200, headers).end(man.bytes);
      return;
    }
    const left = state.flaky.get(ref) ?? 0;
    if (left > 0) {
      state.flaky.set(ref, left - 1);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal failure\n');
      return;
    }
    if (state.redirected.has(ref)) {
      res.writeHead(307, { location: `http://127.0.0.1:${targetPort}/${encodeURIComponent(ref)}` }).end();
      return;
    }
    serveBlob(ref, res, req.method === 'HEAD');
  };

  const server = createServer(handle);
  port = await listen(server);
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      target.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => target.close(r))]);
    },
  });
}
