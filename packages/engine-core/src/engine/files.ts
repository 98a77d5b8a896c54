import { readFileSync, writeFileSync } from 'node:fs';

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
export function resolvConf(hostFile: string, hostNetwork: boolean): string {
  const text = readOr(hostFile, '');
  if (hostNetwork) return text;
  const lines = text.split('\n').filter((l) => !/^\s*nameserver\s+(127\.|::1\b)/.test(l));
  const body = lines.join('\n').trim();
  const hasServer = lines.some((l) => /^\s*nameserver\s/.test(l));
  return `${body}${body ? '\n' : ''}${hasServer ? '' : `${DEFAULT_NAMESERVERS.join('\n')}\n`}`;
}

/** The container's /etc/hosts: Docker's localhost lines, extra hosts, then its own name. */
export function hostsFile(hostname: string, extraHosts: readonly string[], ownAddress: string | undefined): string {
  const lines = [...HOSTS_BASE];
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
  o: { hostname: string; domainname: string; hostNetwork: boolean; extraHosts: readonly string[] },
): void {
  writeFileSync(paths.hostname, `${o.hostname}\n`);
  writeFileSync(
    paths.hosts,
    o.hostNetwork ? readOr('/etc/hosts', hostsFile(o.hostname, o.extraHosts, undefined)) : hostsFile(o.hostname, o.extraHosts, undefined),
  );
  writeFileSync(paths.resolvConf, resolvConf('/etc/resolv.conf', o.hostNetwork));
}
