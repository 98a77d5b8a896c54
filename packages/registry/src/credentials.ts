// Docker's credential file (~/.docker/config.json) and the X-Registry-Auth header.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { credentialsOf, type AuthConfig } from './auth.js';
import { authKeyFor, domainFromServerAddress } from './endpoints.js';
import { RegistryError } from './errors.js';

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

interface StoredAuth {
  auth?: string;
  email?: string;
  identitytoken?: string;
  [key: string]: unknown;
}

/** A loaded config.json; keys other than `auths` (credsStore, HttpHeaders, …) are kept as they were. */
export class DockerConfigFile {
  private constructor(
    readonly path: string,
    private readonly data: Record<string, unknown> & { auths?: Record<string, StoredAuth> },
  ) {}

  static async load(path = defaultConfigPath()): Promise<DockerConfigFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new DockerConfigFile(path, {});
      throw err;
    }
    try {
      const data = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      return new DockerConfigFile(path, data);
    } catch (err) {
      throw new RegistryError(`loading config file: ${path}: ${(err as Error).message}`);
    }
  }

  /** The servers credentials are stored for, as written in the file. */
  servers(): string[] {
    return Object.keys(this.data.auths ?? {});
  }

  /**
   * Credentials for a registry host (`docker.io`, `localhost:5000`). Keys are matched the way
   * Docker does: exactly, or by host once any scheme and path are stripped.
   */
  get(domain: string): AuthConfig | undefined {
    const auths = this.data.auths ?? {};
    const want = authKeyFor(domain);
    const key = want in auths ? want : Object.keys(auths).find((k) => domainFromServerAddress(k) === domain);
    if (key === undefined) return undefined;
    const stored = auths[key] ?? {};
    const out: AuthConfig = { serveraddress: key };
    const creds = credentialsOf({ auth: stored.auth ?? '' });
    if (creds) {
      out.username = creds.username;
      out.password = creds.password;
      out.auth = stored.auth as string;
    }
    if (stored.email) out.email = stored.email;
    if (stored.identitytoken) out.identitytoken = stored.identitytoken;
    return out;
  }

  /** Stores `auth` = base64(user:pass) under the server key Docker uses for that registry. */
  set(server: string, auth: AuthConfig): string {
    const key = authKeyFor(domainFromServerAddress(server));
    const creds = credentialsOf(auth);
    const entry: StoredAuth = { auth: creds ? Buffer.from(`${creds.username}:${creds.password}`).toString('base64') : '' };
    if (auth.email) entry.email = auth.email;
    if (auth.identitytoken) entry.identitytoken = auth.identitytoken;
    this.data.auths = { ...this.data.auths, [key]: entry };
    return key;
  }

  /** Forgets a server's credentials; false when there were none. */
  remove(server: string): boolean {
    const auths = this.data.auths ?? {};
    const domain = domainFromServerAddress(server);
    const keys = Object.keys(auths).filter((k) => k === server || domainFromServerAddress(k) === domain);
    for (const k of keys) delete auths[k];
    return keys.length > 0;
  }

  /** Writes the file as Docker does: tab-indented JSON, mode 0600, directory 0700, atomically. */
  async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ auths: {}, ...this.data }, null, '\t')}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}

/** X-Registry-Auth: base64url of the AuthConfig JSON. */
export function encodeRegistryAuth(auth: AuthConfig): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

/**
 * Decodes X-Registry-Auth. Empty gives an empty config; clients send both base64url and
 * standard base64, padded or not, so both are accepted.
 */
export function decodeRegistryAuth(headerValue: string | undefined): AuthConfig {
  if (headerValue === undefined || headerValue.trim() === '') return {};
  const normalized = headerValue.trim().replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  try {
    const parsed = JSON.parse(Buffer.from(normalized, 'base64url').toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    const out: AuthConfig = {};
    for (const k of ['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken'] as const) {
      const v = (parsed as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '') out[k] = v;
    }
    return out;
  } catch (err) {
    throw new RegistryError(`invalid X-Registry-Auth header: ${(err as Error).message}`, { status: 400 });
  }
}
