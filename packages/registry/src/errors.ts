// Registry errors carry Docker's wording so the daemon can pass `message` through unchanged.

export class RegistryError extends Error {
  /** HTTP status of the registry answer that caused it, when there was one. */
  readonly status: number | undefined;
  /** Distribution error code (`UNAUTHORIZED`, `MANIFEST_UNKNOWN`, …) when the registry sent one. */
  readonly code: string | undefined;
  constructor(message: string, opts: { status?: number; code?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'RegistryError';
    this.status = opts.status;
    this.code = opts.code;
  }
}

/** The blob's bytes do not hash to the digest they were asked for. */
export class DigestMismatchError extends RegistryError {
  constructor(expected: string, actual: string) {
    super(`filesystem layer verification failed for digest ${expected}`, { code: 'DIGEST_INVALID' });
    this.name = 'DigestMismatchError';
    this.actualDigest = actual;
  }
  readonly actualDigest: string;
}

interface DistributionErrorBody {
  errors?: { code?: string; message?: string; detail?: unknown }[];
}

/**
 * Docker renders a distribution error list as `<code lowercased with spaces>: <message>`,
 * e.g. `unauthorized: authentication required`, `manifest unknown: manifest unknown`.
 */
export function errorFromResponse(status: number, body: string, what: string): RegistryError {
  let parsed: DistributionErrorBody | undefined;
  try {
    parsed = JSON.parse(body) as DistributionErrorBody;
  } catch {
    parsed = undefined;
  }
  const first = parsed?.errors?.[0];
  if (first?.code !== undefined) {
    const code = first.code;
    const message = first.message ?? '';
    const text = `${code.toLowerCase().replace(/_/g, ' ')}: ${message}`;
    return new RegistryError(text, { status, code });
  }
  if (status === 401) return new RegistryError('unauthorized: authentication required', { status, code: 'UNAUTHORIZED' });
  if (status === 404) return new RegistryError(`${what}: not found`, { status, code: 'NOT_FOUND' });
  const trimmed = body.trim();
  return new RegistryError(
    `error from registry: ${trimmed.length > 0 && trimmed.length < 200 ? trimmed : `unexpected status code ${status}`}`,
    { status },
  );
}

/** Node's socket errors in the words of Go's net package: `dial tcp 127.0.0.1:1: connect: connection refused`. */
export function networkErrorMessage(method: string, url: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const cause = e.cause && typeof e.cause === 'object' && 'code' in e.cause ? e.cause : e;
  const u = new URL(url);
  const port = u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80';
  const hostPort = `${u.hostname}:${port}`;
  let detail: string;
  switch (cause.code) {
    case 'ECONNREFUSED':
      detail = `dial tcp ${hostPort}: connect: connection refused`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      detail = `dial tcp: lookup ${u.hostname}: no such host`;
      break;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      detail = `dial tcp ${hostPort}: i/o timeout`;
      break;
    case 'EHOSTUNREACH':
      detail = `dial tcp ${hostPort}: connect: no route to host`;
      break;
    case 'ENETUNREACH':
      detail = `dial tcp ${hostPort}: connect: network is unreachable`;
      break;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      detail = 'connection reset by peer';
      break;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      detail = 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
      break;
    case 'CERT_HAS_EXPIRED':
      detail = 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
      break;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      detail = `tls: failed to verify certificate: x509: certificate is not valid for ${u.hostname}`;
      break;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      detail = 'http: server gave HTTP response to HTTPS client';
      break;
    default:
      detail = cause.message || String(err);
  }
  return `${method[0]}${method.slice(1).toLowerCase()} "${url}": ${detail}`;
}
