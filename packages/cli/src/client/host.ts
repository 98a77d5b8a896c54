import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The socket the daemon listens on when nobody says otherwise. */
export const DEFAULT_SOCKET = '/run/berth/berth.sock';
export const DEFAULT_HOST = `unix://${DEFAULT_SOCKET}`;

/** TLS settings of a TCP endpoint, as `--tls*` flags and DOCKER_TLS_VERIFY / DOCKER_CERT_PATH give them. */
export interface TlsSettings {
  /** `--tlsverify`: check the daemon's certificate against `caFile`. */
  verify: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsSettings };

/** Where the daemon address came from: the default is the only one the CLI may auto-start. */
export interface ResolvedHost {
  url: string;
  source: '-H' | 'BERTH_HOST' | 'DOCKER_HOST' | 'default';
}

/** `-H`, then BERTH_HOST, then DOCKER_HOST, then the default socket. */
export function resolveHost(flagHost: string | undefined, env: NodeJS.ProcessEnv): ResolvedHost {
  if (flagHost) return { url: flagHost, source: '-H' };
  if (env['BERTH_HOST']) return { url: env['BERTH_HOST'], source: 'BERTH_HOST' };
  if (env['DOCKER_HOST']) return { url: env['DOCKER_HOST'], source: 'DOCKER_HOST' };
  return { url: DEFAULT_HOST, source: 'default' };
}

/** The certificate directory: DOCKER_CERT_PATH, else ~/.docker (Docker's defaults for the --tls* files). */
export function certPath(env: NodeJS.ProcessEnv): string {
  return env['DOCKER_CERT_PATH'] || join(homedir(), '.docker');
}

/**
 * Parses a daemon address as Docker's ParseHost does: `unix:///path`, `tcp://host[:port]`, or a
 * bare `host:port`. TCP defaults to port 2375, or 2376 with TLS.
 */
export function parseHost(url: string, tls?: TlsSettings): Endpoint {
  if (url.startsWith('unix://')) return { kind: 'unix', path: url.slice('unix://'.length) || DEFAULT_SOCKET };
  const rest = url.startsWith('tcp://') ? url.slice('tcp://'.length) : url;
  if (rest.includes('://')) throw new Error(`Invalid bind address format: ${url}`);
  const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d*))?\/?$/.exec(rest);
  if (!m) throw new Error(`Invalid bind address format: ${url}`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = m[2] ? Number(m[2]) : tls ? 2376 : 2375;
  if (port < 1 || port > 65535) throw new Error(`Invalid bind address format: ${url}`);
  return tls ? { kind: 'tcp', host, port, tls } : { kind: 'tcp', host, port };
}

/** The address as a `-H` URL, for messages. */
export function endpointUrl(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return `unix://${endpoint.path}`;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `tcp://${host}:${endpoint.port}`;
}

/** The PEM files of TLS settings, read for node's tls options. */
export function readTlsFiles(tls: TlsSettings): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const optional = (file: string): Buffer | undefined => {
    try {
      return readFileSync(file);
    } catch {
      return undefined;
    }
  };
  const out: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  const ca = tls.verify ? readFileSync(tls.caFile) : undefined;
  const cert = optional(tls.certFile);
  const key = optional(tls.keyFile);
  if (ca) out.ca = ca;
  if (cert && key) {
    out.cert = cert;
    out.key = key;
  }
  return out;
}
