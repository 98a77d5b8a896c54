import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const HOSTS_BASE = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/** Docker's fallback when the host has only local nameservers, which a container cannot reach. */
const DEFAULT_NAMESERVERS = ['nameserver 8.8.8.8', 'nameserver 8.8.4.4'];

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/**
 * The container's resolv.conf: the host's with loopback nameservers dropped (they mean
 * nothing in another network namespace), Google's when none is left, as Docker does.
 * With the host's network the host's file is used unchanged.
 */
export function resolvConf(hostFile: string, hostNetwork: boolean, dns: readonly string[] = [], dnsSearch: readonly string[] = []): string {
  const text = readOr(hostFile, '');
  if (dns.length > 0 || dnsSearch.length > 0) return builtResolvConf(text, dns, dnsSearch);
  if (hostNetwork) return text;
  const lines = text.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l));
  const body = lines.join('\n').trim();
  const hasServer = lines.some((l) => /^\s*nameserver\s/.test(l));
  return `${body}${body ? '\n' : ''}${hasServer ? '' : `${DEFAULT_NAMESERVERS.join('\n')}\n`}`;
}

const fieldsOf = (text: string, key: string): string[] =>
  text.split('\n').flatMap((l) => {
    const f = l.trim().split(/\s+/);
    return f[0] === key ? f.slice(1) : [];
  });

/**
 * resolvconf.Build: --dns replaces the nameservers, --dns-search the search domains (`.`
 * for none); what is not given comes from the host's file.
 */
function builtResolvConf(host: string, dns: readonly string[], dnsSearch: readonly string[]): string {
  const servers = dns.length > 0 ? dns : fieldsOf(host, 'nameserver');
  const search = dnsSearch.length > 0 ? dnsSearch : fieldsOf(host, 'search');
  const lines: string[] = [];
  if (search.length > 0 && search.join(' ').trim() !== '.') lines.push(`search ${search.join(' ')}`);
  for (const s of servers) lines.push(`nameserver ${s}`);
  return `${lines.join('\n')}\n`;
}

/** The container's /etc/hosts: Docker's localhost lines, its links, extra hosts, then its own name. */
export function hostsFile(hostname: string, extraHosts: readonly string[], ownAddress: string | undefined, links: readonly string[] = []): string {
  const lines = [...HOSTS_BASE, ...links];
  for (const e of extraHosts) {
    const colon = e.indexOf(':');
    if (colon > 0) lines.push(`${e.slice(colon + 1)}\t${e.slice(0, colon)}`);
  }
  if (ownAddress) lines.push(`${ownAddress}\t${hostname}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the three files Docker bind-mounts over /etc/hostname, /etc/hosts, /etc/resolv.conf. */
export function writeNetworkFiles(
  paths: { hostname: string; hosts: string; resolvConf: string },
  o: {
    hostname: string;
    domainname: string;
    hostNetwork: boolean;
    extraHosts: readonly string[];
    /** The container's address on its network, for its own hosts line. */
    address?: string;
    dns?: readonly string[];
    dnsSearch?: readonly string[];
    /** The hosts lines of its links. */
    links?: readonly string[];
  },
): void {
  const name = o.domainname ? `${o.hostname}.${o.domainname} ${o.hostname}` : o.hostname;
  writeFileSync(paths.hostname, `${o.hostname}\n`);
  writeFileSync(paths.hosts, o.hostNetwork ? readOr('/etc/hosts', hostsFile(name, o.extraHosts, undefined)) : hostsFile(name, o.extraHosts, o.address, o.links));
  writeFileSync(paths.resolvConf, resolvConf('/etc/resolv.conf', o.hostNetwork, o.dns, o.dnsSearch));
}

/** `--net container:`: the container sees the hosts and resolv.conf of the one it shares the network with. */
export function copySharedFiles(from: { HostsPath: string; ResolvConfPath: string }, to: { HostsPath: string; ResolvConfPath: string }): void {
  copyFileSync(from.HostsPath, to.HostsPath);
  copyFileSync(from.ResolvConfPath, to.ResolvConfPath);
}
