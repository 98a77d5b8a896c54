/** Oldest Engine API version berth serves (Docker 1.7's minimum). */
export const MIN_API_VERSION = '1.12';
/** Newest Engine API version berth serves; unversioned paths mean this version. */
export const MAX_API_VERSION = '1.44';
/** The version of unversioned requests. */
export const DEFAULT_API_VERSION = MAX_API_VERSION;
/** The version the book documents (Docker 1.7). */
export const BOOK_API_VERSION = '1.19';

const VERSION = /^\d+(\.\d+)*$/;

/** True for a dotted numeric version such as `1.19`. */
export function isApiVersion(v: string): boolean {
  return VERSION.test(v);
}

/**
 * Compares dotted versions numerically, part by part, missing parts counting as 0
 * (Docker's `versions.compare`): -1, 0 or 1.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10) || 0;
    const y = Number.parseInt(pb[i] ?? '0', 10) || 0;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

export const versionLessThan = (a: string, b: string): boolean => compareVersions(a, b) < 0;
export const versionAtLeast = (a: string, b: string): boolean => compareVersions(a, b) >= 0;
export const versionGreaterThan = (a: string, b: string): boolean => compareVersions(a, b) > 0;

/** A request path split into its `/vX.Y` prefix (if any) and the path the routes see. */
export interface VersionedPath {
  /** The version in the prefix, or undefined for an unversioned path. */
  version: string | undefined;
  /** The path without the prefix, starting with `/`. */
  path: string;
}

// Docker's router accepts `/v{version:[0-9.]+}`.
const PREFIX = /^\/v([0-9.]+)(\/.*)?$/;

/** Splits `/v1.19/containers/json` into `{version: '1.19', path: '/containers/json'}`. */
export function splitVersionPrefix(path: string): VersionedPath {
  const m = PREFIX.exec(path);
  if (!m) return { version: undefined, path };
  return { version: m[1], path: m[2] ?? '/' };
}

/** Why a requested version cannot be served, in the daemon's words; undefined when it can. */
export function checkApiVersion(version: string): string | undefined {
  if (!isApiVersion(version)) return `invalid API version: ${version}`;
  if (versionGreaterThan(version, MAX_API_VERSION)) {
    return `client version ${version} is too new. Maximum supported API version is ${MAX_API_VERSION}`;
  }
  if (versionLessThan(version, MIN_API_VERSION)) {
    return `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
  }
  return undefined;
}
