/**
 * The netlink calls of the native addon (native/src/addon/netlink*.cc), as raw as the C side
 * returns them. Every call's first argument is the network namespace to act in: null for the
 * caller's own, a path (/proc/<pid>/ns/net, /run/netns/<name>) or an open fd.
 */
export type NativeNetns = string | number | null;

/** A network namespace: a path (/proc/<pid>/ns/net, /run/netns/<name>), a pid, or an open fd. */
export type NetnsRef = string | { pid: number } | { fd: number };

export function nativeNetns(ref: NetnsRef | undefined): NativeNetns {
  if (ref === undefined) return null;
  if (typeof ref === 'string') return ref;
  if ('pid' in ref) return `/proc/${ref.pid}/ns/net`;
  return ref.fd;
}

export interface NativeLink {
  index: number;
  name: string;
  kind: string | null;
  mtu: number;
  mac: string | null;
  flags: number;
  master: number | null;
  parent: number | null;
  operState: number;
}

export interface NativeLinkSpec {
  name: string;
  kind: string;
  mtu?: number;
  peer?: { name: string; netns?: string | number };
}

export interface NativeLinkChanges {
  up?: boolean;
  mtu?: number;
  mac?: string;
  master?: string | null;
  name?: string;
  netns?: string | number;
}

export interface NativeAddress {
  index: number;
  family: 4 | 6;
  address: string;
  prefixLen: number;
  scope: number;
  flags: number;
  label: string | null;
  broadcast: string | null;
}

export interface NativeRouteSpec {
  dst?: string | null;
  dstLen?: number;
  gateway?: string | null;
  link?: string;
  metric?: number;
  scope?: number;
  table?: number;
  source?: string;
  family?: 4 | 6;
}

export interface NativeRoute {
  family: 4 | 6;
  dst: string | null;
  dstLen: number;
  gateway: string | null;
  link: number | null;
  metric: number | null;
  source: string | null;
  table: number;
  protocol: number;
  scope: number;
  type: number;
}

export interface NetlinkAddon {
  netlinkLinks(netns: NativeNetns): NativeLink[];
  netlinkAddLink(netns: NativeNetns, spec: NativeLinkSpec): void;
  netlinkDelLink(netns: NativeNetns, name: string): void;
  netlinkSetLink(netns: NativeNetns, name: string, changes: NativeLinkChanges): void;
  netlinkAddrs(netns: NativeNetns): NativeAddress[];
  netlinkAddAddr(netns: NativeNetns, link: string, address: string, prefixLen: number, options: { nodad?: boolean }): void;
  netlinkDelAddr(netns: NativeNetns, link: string, address: string, prefixLen: number): void;
  netlinkRoutes(netns: NativeNetns, family: 4 | 6): NativeRoute[];
  netlinkAddRoute(netns: NativeNetns, route: NativeRouteSpec): void;
  netlinkDelRoute(netns: NativeNetns, route: NativeRouteSpec): void;
  netnsCreate(path: string): void;
  netnsSysctl(netns: NativeNetns, key: string, value: string | null): string;
}
