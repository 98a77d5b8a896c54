import { isIPv4, isIPv6 } from 'node:net';

/** An address with its prefix length, from CIDR notation. */
export interface Cidr {
  address: string;
  prefixLen: number;
  family: 4 | 6;
}

function invalid(message: string): Error {
  return Object.assign(new Error(message), { code: 'EINVAL' });
}

/** Parses '10.0.0.1/24' or 'fd00::1/64'; a bare address is a host prefix (/32 or /128). */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined) throw invalid(`invalid IP address: ${text}`);
  const max = family === 4 ? 32 : 128;
  if (slash < 0) return { address, prefixLen: max, family };
  const len = text.slice(slash + 1);
  const prefixLen = Number(len);
  if (!/^\d{1,3}$/.test(len) || prefixLen > max) throw invalid(`invalid CIDR address: ${text}`);
  return { address, prefixLen, family };
}

/**
 * Docker's MAC address for a container IPv4 address: 02:42 (locally administered, unicast)
 * followed by the address's four bytes, so 172.17.0.2 gets 02:42:ac:11:00:02.
 */
export function macFromIPv4(ip: string): string {
  if (!isIPv4(ip)) throw invalid(`not an IPv4 address: ${ip}`);
  const bytes = [0x02, 0x42, ...ip.split('.').map(Number)];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
