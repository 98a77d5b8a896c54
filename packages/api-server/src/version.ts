/** The newest Engine API version berth speaks; unversioned paths mean this one. */
export const API_VERSION = '1.44';
/** The oldest Engine API version berth accepts (Docker 1.7's minimum). */
export const MIN_API_VERSION = '1.12';

/** Compares dotted API versions numerically: negative, zero or positive like a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `version` is `min` or newer, for gating behaviour by API version. */
export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * Docker's refusal for a version outside the served range (moby api/server/middleware/version.go),
 * or undefined when the version is served.
 */
export function unsupportedVersionMessage(version: string): string | undefined {
  if (compareVersions(version, MIN_API_VERSION) < 0) {
    return `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
  }
  if (compareVersions(version, API_VERSION) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`;
  }
  return undefined;
}
