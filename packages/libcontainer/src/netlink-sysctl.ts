import { readFileSync, writeFileSync } from 'node:fs';
import { addon } from './native.js';
import { nativeNetns, type NetnsRef } from './netlink-native.js';

const IPV4_FORWARD = 'net/ipv4/ip_forward';

/**
 * Reads a network sysctl ('net/ipv4/ip_forward') of the caller's namespace through /proc/sys,
 * or of `netns` (the native side opens it from a thread inside that namespace).
 */
function readNetSysctl(key: string, netns: NetnsRef | undefined): string {
  if (netns === undefined) return readFileSync(`/proc/sys/${key}`, 'utf8');
  return addon().netnsSysctl(nativeNetns(netns), key, null);
}

function writeNetSysctl(key: string, value: string, netns: NetnsRef | undefined): void {
  if (netns === undefined) writeFileSync(`/proc/sys/${key}`, value);
  else addon().netnsSysctl(nativeNetns(netns), key, value);
}

/** Whether the kernel forwards IPv4 packets between interfaces (per network namespace). */
export function ipForwarding(options: { netns?: NetnsRef } = {}): boolean {
  return readNetSysctl(IPV4_FORWARD, options.netns).trim() === '1';
}

/** Turns IPv4 forwarding on or off (containers on a bridge reach the outside only with it on). */
export function setIpForwarding(enabled: boolean, options: { netns?: NetnsRef } = {}): void {
  writeNetSysctl(IPV4_FORWARD, enabled ? '1\n' : '0\n', options.netns);
}
