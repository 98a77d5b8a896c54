/** Docker's image references: `[host[:port]/]path[:tag][@algo:hex]`, normalised to docker.io. */
export interface Reference {
  /** Full repository name, e.g. `docker.io/library/busybox`. */
  name: string;
  domain: string;
  /** Path after the domain, e.g. `library/busybox`. */
  path: string;
  tag: string | null;
  digest: string | null;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_TAG = new RegExp(`^${TAG}$`);
const HEX64 = /^[a-f0-9]{64}$/;

/** An error in Docker's words (`invalid reference format`, ...). */
export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReference';
  }
}

/** Splits a name into domain and path as Docker does: a first part with `.` or `:`, or `localhost`, is a host. */
function splitDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  const first = i < 0 ? '' : name.slice(0, i);
  let domain: string;
  let path: string;
  if (i < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    path = name;
  } else {
    domain = first;
    path = name.slice(i + 1);
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  return [domain, path];
}

/**
 * Parses a reference as the docker CLI types it (`busybox`, `host:5000/ns/app:1.0@sha256:…`) and
 * normalises it (`docker.io/library/busybox`). No tag is added; see `withDefaultTag`.
 */
export function parseReference(input: string): Reference {
  if (HEX64.test(input)) throw new ReferenceError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  const [domainRaw, rest] = splitDomain(input);
  const repoPath = rest.split(/[:@]/)[0] ?? '';
  if (repoPath.toLowerCase() !== repoPath) throw new ReferenceError(`invalid reference format: repository name (${repoPath}) must be lowercase`);
  const full = `${domainRaw}/${rest}`;
  const m = REFERENCE.exec(full);
  if (!m) throw new ReferenceError('invalid reference format');
  const name = m[1] as string;
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw new ReferenceError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  return { name, domain: domainRaw, path: name.slice(domainRaw.length + 1), tag: m[2] ?? null, digest: m[3] ?? null };
}

/** Adds `:latest` to a reference that has neither tag nor digest. */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === null && ref.digest === null ? { ...ref, tag: DEFAULT_TAG } : ref;
}

export function validateTag(tag: string): void {
  if (!ANCHORED_TAG.test(tag)) throw new ReferenceError('invalid reference format');
}

/** The full string: `docker.io/library/busybox:latest`, `host/app@sha256:…`. */
export function formatReference(ref: Reference): string {
  return `${ref.name}${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
}

/** The short form the CLI shows: `busybox`, `user/app`, `host:5000/app`. */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return ref.name;
  return ref.path.startsWith(OFFICIAL_PREFIX) && !ref.path.slice(OFFICIAL_PREFIX.length).includes('/') ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
}

/** Docker's name for "no base image" (`FROM scratch`): no image may be called so. */
export const NO_BASE_IMAGE = 'scratch';

/** A name Docker reserves (`'scratch' is a reserved name`). */
export class ReservedNameError extends Error {
  constructor(name: string) {
    super(`'${name}' is a reserved name`);
    this.name = 'ReservedNameError';
  }
}

/** Docker's validateRepoName: refuses `scratch` (also as `docker.io/library/scratch`). */
export function validateRepoName(ref: Reference): void {
  if (familiarName(ref) === NO_BASE_IMAGE) throw new ReservedNameError(NO_BASE_IMAGE);
}

/** `busybox:latest`, `host:5000/app@sha256:…`. */
export function familiarString(ref: Reference): string {
  return `${familiarName(ref)}${ref.tag !== null ? `:${ref.tag}` : ''}${ref.digest !== null ? `@${ref.digest}` : ''}`;
}
