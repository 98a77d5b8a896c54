import { isIPv4 } from 'node:net';
import { InvalidParameterError } from '@berth/api-types';

/** An IPv4 subnet: its network address as a number and its prefix length. */
export interface Subnet4 {
  network: number;
  prefixLen: number;
}

export function ipToNumber(ip: string): number {
  if (!isIPv4(ip)) throw new InvalidParameterError(`invalid IP address: ${ip}`);
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function maskOf(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/** '172.17.42.1/16' → the address (172.17.42.1) and its subnet (172.17.0.0/16). */
export function parseCidr4(text: string): { ip: number; subnet: Subnet4 } {
  const [addr = '', len, ...rest] = text.split('/');
  const prefixLen = Number(len);
  if (rest.length > 0 || len === undefined || !/^\d{1,2}$/.test(len) || prefixLen > 32 || !isIPv4(addr)) {
    throw new InvalidParameterError(`invalid CIDR address: ${text}`);
  }
  const ip = ipToNumber(addr);
  return { ip, subnet: { network: (ip & maskOf(prefixLen)) >>> 0, prefixLen } };
}

export function subnetText(s: Subnet4): string {
  return `${numberToIp(s.network)}/${s.prefixLen}`;
}

export function contains(s: Subnet4, ip: number): boolean {
  return ((ip & maskOf(s.prefixLen)) >>> 0) === s.network;
}

export function overlaps(a: Subnet4, b: Subnet4): boolean {
  return contains(a, b.network) || contains(b, a.network);
}

export function broadcastOf(s: Subnet4): number {
  return (s.network | ~maskOf(s.prefixLen)) >>> 0;
}
