/**
 * Network interfaces over rtnetlink (native/src/addon/netlink*.cc): bridges, veth pairs,
 * link settings, moving links between network namespaces, addresses and routes. Every call
 * can act inside another network namespace (`netns`); the native side does that on a thread
 * of its own, so the Node main thread never changes namespace. Errors carry `code` (e.g.
 * 'EEXIST', 'ENODEV'), `errno` and `syscall` (the netlink request, e.g. 'RTM_NEWLINK').
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { unmount, MNT } from './mount.js';
import { addon } from './native.js';
import { parseCidr } from './netlink-ip.js';
import { nativeNetns, type NativeLinkChanges, type NativeRoute, type NativeRouteSpec, type NetnsRef } from './netlink-native.js';

export type { NetnsRef } from './netlink-native.js';

export interface NetlinkOptions {
  /** The network namespace to act in; the caller's own when absent. */
  netns?: NetnsRef;
}

/** IFF_* interface flags (linux/if.h). */
export const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, POINTOPOINT: 0x10, RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, MULTICAST: 0x1000, LOWER_UP: 0x10000 } as const;

/** RFC 2863 operational states, as `ip link` prints them. */
const OPER_STATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;
export type OperState = (typeof OPER_STATES)[number];

export interface Link {
  index: number;
  name: string;
  /** 'bridge', 'veth', ... (IFLA_INFO_KIND); null for physical devices and lo. */
  kind: string | null;
  mtu: number;
  mac: string | null;
  /** IFF_* flags. */
  flags: number;
  /** Administratively up (IFF_UP). */
  up: boolean;
  operState: OperState;
  /** The bridge (or other master) this link is attached to. */
  master: string | null;
  masterIndex: number | null;
  /** IFLA_LINK: for a veth, the peer's index (in the peer's namespace). */
  parentIndex: number | null;
}

const SCOPES = { global: 0, site: 200, link: 253, host: 254, nowhere: 255 } as const;
export type Scope = keyof typeof SCOPES | number;

function scopeName(scope: number): Scope {
  const name = (Object.keys(SCOPES) as (keyof typeof SCOPES)[]).find((k) => SCOPES[k] === scope);
  return name ?? scope;
}

export interface Address {
  link: string;
  index: number;
  family: 4 | 6;
  address: string;
  prefixLen: number;
  /** address/prefixLen */
  cidr: string;
  scope: Scope;
  broadcast: string | null;
  label: string | null;
  /** IFA_F_* flags (e.g. 0x80 permanent, 0x40 tentative). */
  flags: number;
}

export interface RouteSpec {
  /** Destination in CIDR notation; 'default' or absent for the default route. */
  dst?: string;
  /** Next hop; without one the destination is on-link (scope link). */
  gateway?: string;
  /** Output interface. */
  link?: string;
  metric?: number;
  scope?: Scope;
  /** Routing table id; the main table (254) by default. */
  table?: number;
  /** Preferred source address. */
  source?: string;
  /** The family when neither dst nor gateway says it (a default route on a link): 4 by default. */
  family?: 4 | 6;
}

export interface Route {
  family: 4 | 6;
  /** Destination in CIDR notation, null for the default route. */
  dst: string | null;
  gateway: string | null;
  link: string | null;
  metric: number | null;
  source: string | null;
  table: number;
  scope: Scope;
  /** RTPROT_* (2 kernel, 3 boot, 4 static). */
  protocol: number;
  /** RTN_* (1 unicast, 2 local, 3 broadcast). */
  type: number;
}

const RT_TABLE_MAIN = 254;

function targetNetns(ref: NetnsRef): string | number {
  const ns = nativeNetns(ref);
  if (ns === null) throw new Error('a target network namespace is required');
  return ns;
}

/** Links of a namespace, with masters resolved to names. */
export function listLinks(options: NetlinkOptions = {}): Link[] {
  const raw = addon().netlinkLinks(nativeNetns(options.netns));
  const names = new Map(raw.map((l) => [l.index, l.name]));
  return raw.map((l) => ({
    index: l.index,
    name: l.name,
    kind: l.kind,
    mtu: l.mtu,
    mac: l.mac,
    flags: l.flags,
    up: (l.flags & IFF.UP) !== 0,
    operState: OPER_STATES[l.operState] ?? 'UNKNOWN',
    master: l.master === null ? null : (names.get(l.master) ?? null),
    masterIndex: l.master,
    parentIndex: l.parent,
  }));
}

/** The link called `name`, or undefined. */
export function getLink(name: string, options: NetlinkOptions = {}): Link | undefined {
  return listLinks(options).find((l) => l.name === name);
}

/** Creates a bridge (like `ip link add name <name> type bridge`), down. */
export function createBridge(name: string, options: NetlinkOptions & { mtu?: number } = {}): void {
  addon().netlinkAddLink(nativeNetns(options.netns), { name, kind: 'bridge', ...(options.mtu ? { mtu: options.mtu } : {}) });
}

export interface VethOptions extends NetlinkOptions {
  mtu?: number;
  /** Create the peer directly in this namespace (its name cannot clash with the host's). */
  peerNetns?: NetnsRef;
}

/** Creates a veth pair `name` <-> `peerName`, both down. */
export function createVethPair(name: string, peerName: string, options: VethOptions = {}): void {
  const peer = options.peerNetns === undefined ? { name: peerName } : { name: peerName, netns: targetNetns(options.peerNetns) };
  addon().netlinkAddLink(nativeNetns(options.netns), { name, kind: 'veth', peer, ...(options.mtu ? { mtu: options.mtu } : {}) });
}

/** Deletes a link (for a veth, its peer goes with it). */
export function deleteLink(name: string, options: NetlinkOptions = {}): void {
  addon().netlinkDelLink(nativeNetns(options.netns), name);
}

export interface LinkChanges {
  up?: boolean;
  mtu?: number;
  mac?: string;
  /** Attach to this bridge; null detaches. */
  master?: string | null;
  /** New name (in the target namespace when moving). */
  name?: string;
  /** Move the link into this namespace. */
  moveTo?: NetnsRef;
}

/** Applies several changes to a link in one netlink request (the move happens first). */
export function setLink(name: string, changes: LinkChanges, options: NetlinkOptions = {}): void {
  const { moveTo, ...rest } = changes;
  const native: NativeLinkChanges = moveTo === undefined ? rest : { ...rest, netns: targetNetns(moveTo) };
  addon().netlinkSetLink(nativeNetns(options.netns), name, native);
}

export function setLinkUp(name: string, options: NetlinkOptions = {}): void {
  setLink(name, { up: true }, options);
}

export function setLinkDown(name: string, options: NetlinkOptions = {}): void {
  setLink(name, { up: false }, options);
}

export function setLinkMtu(name: string, mtu: number, options: NetlinkOptions = {}): void {
  setLink(name, { mtu }, options);
}

/** Sets the hardware address ('02:42:ac:11:00:02'). */
export function setLinkMac(name: string, mac: string, options: NetlinkOptions = {}): void {
  setLink(name, { mac }, options);
}

/** Attaches the link to a bridge, or detaches it with null. */
export function setLinkMaster(name: string, master: string | null, options: NetlinkOptions = {}): void {
  setLink(name, { master }, options);
}

/** Renames a link (the kernel wants most links down for that: EBUSY otherwise). */
export function renameLink(name: string, newName: string, options: NetlinkOptions = {}): void {
  setLink(name, { name: newName }, options);
}

/** Moves a link into another namespace, optionally renaming it there (Docker's veth → eth0). */
export function moveLinkToNetns(name: string, target: NetnsRef, options: NetlinkOptions & { newName?: string } = {}): void {
  setLink(name, options.newName === undefined ? { moveTo: target } : { moveTo: target, name: options.newName }, options);
}

/** Adds an address in CIDR notation ('10.0.0.2/24'); IPv4 gets its broadcast address. */
export function addAddress(link: string, cidr: string, options: NetlinkOptions & { nodad?: boolean } = {}): void {
  const { address, prefixLen } = parseCidr(cidr);
  addon().netlinkAddAddr(nativeNetns(options.netns), link, address, prefixLen, { nodad: options.nodad ?? false });
}

export function deleteAddress(link: string, cidr: string, options: NetlinkOptions = {}): void {
  const { address, prefixLen } = parseCidr(cidr);
  addon().netlinkDelAddr(nativeNetns(options.netns), link, address, prefixLen);
}

/** Addresses of a namespace, or of one link when `link` is given. */
export function listAddresses(link?: string, options: NetlinkOptions = {}): Address[] {
  const ns = nativeNetns(options.netns);
  const names = new Map(addon().netlinkLinks(ns).map((l) => [l.index, l.name]));
  return addon()
    .netlinkAddrs(ns)
    .map((a) => ({
      link: names.get(a.index) ?? '',
      index: a.index,
      family: a.family,
      address: a.address,
      prefixLen: a.prefixLen,
      cidr: `${a.address}/${a.prefixLen}`,
      scope: scopeName(a.scope),
      broadcast: a.broadcast,
      label: a.label,
      flags: a.flags,
    }))
    .filter((a) => link === undefined || a.link === link);
}

function nativeRoute(spec: RouteSpec): NativeRouteSpec {
  const out: NativeRouteSpec = {};
  if (spec.dst !== undefined && spec.dst !== 'default') {
    const { address, prefixLen } = parseCidr(spec.dst);
    out.dst = address;
    out.dstLen = prefixLen;
  }
  if (spec.gateway !== undefined) out.gateway = parseCidr(spec.gateway).address;
  if (spec.link !== undefined) out.link = spec.link;
  if (spec.metric !== undefined) out.metric = spec.metric;
  if (spec.scope !== undefined) out.scope = typeof spec.scope === 'number' ? spec.scope : SCOPES[spec.scope];
  if (spec.table !== undefined) out.table = spec.table;
  if (spec.source !== undefined) out.source = parseCidr(spec.source).address;
  if (spec.family !== undefined) out.family = spec.family;
  return out;
}

/**
 * Adds a route: `{gateway: '10.0.0.1'}` is a default route, `{dst: '10.1.0.0/16', link: 'eth0'}`
 * an on-link one.
 */
export function addRoute(spec: RouteSpec, options: NetlinkOptions = {}): void {
  addon().netlinkAddRoute(nativeNetns(options.netns), nativeRoute(spec));
}

export function deleteRoute(spec: RouteSpec, options: NetlinkOptions = {}): void {
  addon().netlinkDelRoute(nativeNetns(options.netns), nativeRoute(spec));
}

/** Routes of one family (IPv4 by default) in one table (the main table by default, or 'all'). */
export function listRoutes(options: NetlinkOptions & { family?: 4 | 6; table?: number | 'all' } = {}): Route[] {
  const ns = nativeNetns(options.netns);
  const names = new Map(addon().netlinkLinks(ns).map((l) => [l.index, l.name]));
  const table = options.table ?? RT_TABLE_MAIN;
  return addon()
    .netlinkRoutes(ns, options.family ?? 4)
    .filter((r) => table === 'all' || r.table === table)
    .map((r: NativeRoute) => ({
      family: r.family,
      dst: r.dst === null ? null : `${r.dst}/${r.dstLen}`,
      gateway: r.gateway,
      link: r.link === null ? null : (names.get(r.link) ?? null),
      metric: r.metric,
      source: r.source,
      table: r.table,
      scope: scopeName(r.scope),
      protocol: r.protocol,
      type: r.type,
    }));
}

/**
 * Creates a network namespace kept alive by a bind mount at `path` (like `ip netns add`, which
 * uses /run/netns/<name>). Its loopback is down, as the kernel makes it.
 */
export function createNetns(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  addon().netnsCreate(path);
}

/** Unmounts and removes a namespace made by createNetns; it dies with its last user. */
export function deleteNetns(path: string): void {
  unmount(path, MNT.DETACH);
  rmSync(path);
}
