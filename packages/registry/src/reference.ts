// Image references as Docker resolves them for registry use: [host[:port]/]path[:tag][@digest].
import { RegistryError } from './errors.js';

export const DEFAULT_REGISTRY = 'docker.io';
export const DEFAULT_TAG = 'latest';

export interface Reference {
  /** Registry host as written (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** Repository path on the registry (`library/busybox`). */
  path: string;
  tag?: string;
  digest?: string;
}

export interface ReferenceOptions {
  /** The registry used when the name has no host component (default `docker.io`). */
  defaultRegistry?: string;
}

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const hex64 = /^[a-f0-9]{64}$/;

/** The first component is a registry host if it has a `.` or `:`, or is `localhost`. */
export function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** `index.docker.io` and `registry-1.docker.io` name Docker Hub too. */
export function normalizeDomain(domain: string): string {
  return domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? DEFAULT_REGISTRY : domain;
}

export function parseReference(input: string, opts: ReferenceOptions = {}): Reference {
  const defaultRegistry = opts.defaultRegistry ?? DEFAULT_REGISTRY;
  if (input.includes('://')) throw new RegistryError(`invalid reference format: repository name (${input}) must not contain a scheme`);
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw new RegistryError('invalid reference format');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw new RegistryError('invalid reference format');
  }
  let domain = defaultRegistry;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && isRegistryHost(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    path = rest.slice(slash + 1);
  }
  domain = normalizeDomain(domain);
  if (path !== path.toLowerCase()) throw new RegistryError('invalid reference format: repository name must be lowercase');
  if (domain === DEFAULT_REGISTRY && !path.includes('/')) {
    if (hex64.test(path)) throw new RegistryError(`Invalid repository name (${path}), cannot specify 64-byte hexadecimal strings`);
    path = `library/${path}`;
  }
  if (path.length === 0 || path.length > 255 || !path.split('/').every((c) => pathComponent.test(c))) {
    throw new RegistryError('invalid reference format');
  }
  const ref: Reference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The short name Docker prints: `busybox`, `user/app`, `127.0.0.1:5000/app`. */
export function familiarName(ref: Pick<Reference, 'domain' | 'path'>): string {
  if (ref.domain !== DEFAULT_REGISTRY) return `${ref.domain}/${ref.path}`;
  return ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice('library/'.length) : ref.path;
}

/** `busybox:latest`, `busybox@sha256:…` as in Docker's status lines. */
export function familiarString(ref: Reference): string {
  let s = familiarName(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** `docker.io/library/busybox`, as in "The push refers to repository [...]". */
export function canonicalName(ref: Pick<Reference, 'domain' | 'path'>): string {
  return `${ref.domain}/${ref.path}`;
}

/** Tag or digest to ask the registry for (tag defaults to `latest`). */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}
