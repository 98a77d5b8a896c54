// Registry authentication: WWW-Authenticate challenges, Basic, and Bearer tokens from a token service.

/** Docker's AuthConfig, as sent in X-Registry-Auth and POST /auth. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64(username:password), as stored in config.json. */
  auth?: string;
  email?: string;
  serveraddress?: string;
  /** A refresh token from an earlier login (OAuth2 token services). */
  identitytoken?: string;
  /** A bearer token to present to the registry as is. */
  registrytoken?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (several challenges may share one header). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    let current: Challenge | undefined;
    const skip = (chars: string): void => {
      while (i < value.length && chars.includes(value[i] ?? '')) i++;
    };
    const token = (): string => {
      const start = i;
      while (i < value.length && !' \t,="'.includes(value[i] ?? '')) i++;
      return value.slice(start, i);
    };
    while (i < value.length) {
      skip(' \t,');
      const name = token();
      if (name === '') break;
      skip(' \t');
      if (value[i] !== '=' || !current) {
        current = { scheme: name.toLowerCase(), params: {} };
        out.push(current);
        continue;
      }
      i++;
      skip(' \t');
      let v = '';
      if (value[i] === '"') {
        i++;
        while (i < value.length && value[i] !== '"') {
          if (value[i] === '\\') i++;
          v += value[i] ?? '';
          i++;
        }
        i++;
      } else {
        v = token();
      }
      current.params[name.toLowerCase()] = v;
    }
  }
  return out;
}

/** username/password from an AuthConfig, decoding `auth` when the plain fields are absent. */
export function credentialsOf(auth: AuthConfig | undefined): { username: string; password: string } | undefined {
  if (!auth) return undefined;
  if (auth.username && auth.password !== undefined && auth.password !== '') {
    return { username: auth.username, password: auth.password };
  }
  if (auth.auth) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

export function basicHeader(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

export function pullScope(repo: string): string {
  return `repository:${repo}:pull`;
}

export function pushScope(repo: string): string {
  return `repository:${repo}:pull,push`;
}

export const CATALOG_SCOPE = 'registry:catalog:*';

/** Bearer tokens by scope set, kept until shortly before they expire. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  get(key: string, now = Date.now()): string | undefined {
    const hit = this.tokens.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now) {
      this.tokens.delete(key);
      return undefined;
    }
    return hit.token;
  }
  set(key: string, token: string, expiresInSec: number, issuedAt: number): void {
    // distribution's client treats anything under 60 s as 60 s; renew 5 s early.
    const lifetime = Math.max(expiresInSec, 60) * 1000;
    this.tokens.set(key, { token, expiresAt: issuedAt + lifetime - 5000 });
  }
  delete(key: string): void {
    this.tokens.delete(key);
  }
}
