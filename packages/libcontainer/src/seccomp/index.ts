import { DOCKER_DEFAULT_CAPABILITIES } from '../capabilities.js';
import { compileProfile } from './compile.js';
import { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
import type { SeccompProfile } from './profile.js';

export { compileProfile } from './compile.js';
export { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
export type * from './profile.js';

/** The filter for a container: its profile (Docker's default when absent) against its capabilities. */
export function compileSeccomp(profile: SeccompProfile | undefined, bounding: readonly string[] | undefined): Buffer {
  return compileProfile(profile ?? DEFAULT_SECCOMP_PROFILE, bounding ?? DOCKER_DEFAULT_CAPABILITIES);
}
