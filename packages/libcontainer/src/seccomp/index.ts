import { DOCKER_DEFAULT_CAPABILITIES } from '../capabilities.js';
import { compileProfile } from './compile.js';
import { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
import type { SeccompProfile } from './profile.js';

export { compileProfile } from './compile.js';
export { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
export type * from './profile.js';

/** The filter for a container: its profile (Docker's default when absent) against its capabilities. */
export function compileSeccomp(profile: SeccompProfile | undefined, bounding: readonly string[] | undefined): Buffer {
  if (profile) return compileProfile(profile, bounding ?? DOCKER_DEFAULT_CAPABILITIES);
  // most containers use the default profile with one of few capability sets: compile those once
  const caps = [...(bounding ?? DOCKER_DEFAULT_CAPABILITIES)].sort();
  const key = caps.join(',');
  let filter = defaultFilters.get(key);
  if (!filter) {
    filter = compileProfile(DEFAULT_SECCOMP_PROFILE, caps);
    defaultFilters.set(key, filter);
  }
  return filter;
}

const defaultFilters = new Map<string, Buffer>();
