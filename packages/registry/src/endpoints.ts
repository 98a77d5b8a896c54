// Which URL serves a registry host's v2 API, and whether it is spoken over plain HTTP.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { DEFAULT_REGISTRY } from './reference.js';

/** Docker Hub's API host; `docker.io` itself serves no registry API. */
export const DOCKER_HUB_API = 'registry-1.docker.io';
/** The key Docker uses for Docker Hub in config.json and AuthConfig.serveraddress. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
/** Docker Hub's v1 search endpoint host. */
export const DOCKER_HUB_INDEX = 'index.docker.io';

export interface EndpointOptions {
  /** `--insecure-registry` values: `host[:port]` or CIDRs (`10.0.0.0/8`). 127.0.0.0/8 is always insecure. */
  insecureRegistries?: string[];
}

export interface Endpoint {
  /** Registry host as in the reference (`docker.io`, `localhost:5000`). */
  domain: string;
  /** Base URL of the API, no trailing slash (`https://registry-1.docker.io`). */
  baseUrl: string;
  /**
   * false for insecure registries: as in Docker, tried over https without certificate
   * verification first, then over plain http.
   */
  secure: boolean;
  official: boolean;
}

/** Parsed `--insecure-registry` list: hosts by name and CIDR ranges. */
export class InsecureRegistries {
  private readonly hosts = new Set<string>();
  private readonly ranges = new BlockList();
  constructor(entries: string[] = []) {
    this.ranges.addSubnet('127.0.0.0', 8, 'ipv4');
    this.ranges.addAddress('::1', 'ipv6');
    for (const raw of entries) {
      const entry = raw.replace(/^https?:\/\//, '').replace(/\/$/, '');
      const slash = entry.indexOf('/');
      if (slash > 0 && isIP(entry.slice(0, slash)) !== 0) {
        const ip = entry.slice(0, slash);
        const prefix = Number(entry.slice(slash + 1));
        if (!Number.isInteger(prefix)) throw new Error(`invalid CIDR: ${raw}`);
        this.ranges.addSubnet(ip, prefix, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
      } else {
        this.hosts.add(entry);
      }
    }
  }

  /** Docker's rule: listed by name (with or without port), or an address of the host lies in a listed CIDR. */
  async isInsecure(domain: string): Promise<boolean> {
    if (this.hosts.has(domain)) return true;
    const host = hostOf(domain);
    if (this.hosts.has(host)) return true;
    const addresses = isIP(host) !== 0 ? [host] : await resolveAll(host);
    return addresses.some((a) => this.ranges.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
  }
}

function hostOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon >= 0 ? domain.slice(0, colon) : domain;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

export async function resolveEndpoint(domain: string, insecure: InsecureRegistries): Promise<Endpoint> {
  if (domain === DEFAULT_REGISTRY) {
    return { domain, baseUrl: `https://${DOCKER_HUB_API}`, secure: true, official: true };
  }
  const secure = !(await insecure.isInsecure(domain));
  return { domain, baseUrl: `https://${domain}`, secure, official: false };
}

/** The config.json key for a registry: Docker Hub uses its v1 index URL, others their host. */
export function authKeyFor(domain: string): string {
  return domain === DEFAULT_REGISTRY ? DOCKER_HUB_AUTH_KEY : domain;
}

/** Turns a server as typed by a user (`https://localhost:5000/v2/`, `index.docker.io`) into a registry host. */
export function domainFromServerAddress(server: string): string {
  if (server === '' || server === DOCKER_HUB_AUTH_KEY) return DEFAULT_REGISTRY;
  const host = server.replace(/^[a-z]+:\/\//, '').split('/')[0] ?? '';
  return host === DOCKER_HUB_INDEX || host === DOCKER_HUB_API || host === DEFAULT_REGISTRY ? DEFAULT_REGISTRY : host;
}
