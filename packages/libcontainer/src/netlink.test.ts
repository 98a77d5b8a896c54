// Integration tests against the real kernel (root): namespaces, bridges and veths named btnl*,
// addresses from 10.213.<random>.0/24, traffic only between our own namespaces. Everything is
// removed with iproute2 in afterEach, so a bug in the code under test cannot leak it.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, existsSync, openSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addAddress,
  addRoute,
  createBridge,
  createNetns,
  createVethPair,
  deleteAddress,
  deleteLink,
  deleteNetns,
  deleteRoute,
  getLink,
  listAddresses,
  listLinks,
  listRoutes,
  moveLinkToNetns,
  renameLink,
  setLink,
  setLinkDown,
  setLinkMac,
  setLinkMaster,
  setLinkMtu,
  setLinkUp,
} from './netlink.js';
import { macFromIPv4 } from './netlink-ip.js';
import { ipForwarding, setIpForwarding } from './netlink-sysctl.js';

interface IpLink {
  ifname: string;
  mtu: number;
  address?: string;
  master?: string;
  flags: string[];
  operstate: string;
}
interface IpAddr {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number; broadcast?: string }[];
}
interface IpRoute {
  dst: string;
  gateway?: string;
  dev: string;
}

const tag = () => randomBytes(3).toString('hex');

/** `ip -j [-n ns] args` parsed. */
function ipJson<T>(args: string[], ns?: string): T[] {
  const out = execFileSync('ip', ['-j', ...(ns ? ['-n', ns] : []), ...args], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as T[]);
}

function hostLinkNames(): string[] {
  return ipJson<IpLink>(['link', 'show']).map((l) => l.ifname);
}

function ping(target: string, ns?: string): boolean {
  const cmd = ns ? ['ip', ['netns', 'exec', ns, 'busybox', 'ping', '-c', '2', '-w', '5', target]] : ['busybox', ['ping', '-c', '2', '-w', '5', target]];
  return spawnSync(cmd[0] as string, cmd[1] as string[], { stdio: 'ignore' }).status === 0;
}

// What each test made, removed whatever happened to the test.
let links: string[] = [];
let namespaces: string[] = [];
let children: ChildProcess[] = [];
afterEach(() => {
  for (const name of links) spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
  for (const ns of namespaces) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  links = [];
  namespaces = [];
  children = [];
});

/** A named namespace at /run/netns/btnl-<tag>, visible to `ip netns`. */
function newNetns(): { name: string; path: string } {
  const name = `btnl-${tag()}`;
  const path = `/run/netns/${name}`;
  namespaces.push(name);
  createNetns(path);
  return { name, path };
}

/** A process of ours in a fresh network namespace, for the by-pid calls. */
async function processInNewNetns(): Promise<number> {
  const child = spawn('unshare', ['--net', 'busybox', 'sleep', '60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  const pid = child.pid as number;
  // unshare execs sleep in the same process once the namespace exists.
  for (let i = 0; i < 100 && execFileSync('readlink', [`/proc/${pid}/ns/net`], { encoding: 'utf8' }) === execFileSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return pid;
}

describe('netlink', () => {
  it('wires a bridge to a namespace through a veth pair, and ping crosses it', () => {
    const t = tag();
    const subnet = `10.213.${randomInt(256)}`;
    const bridge = `btnl${t}b`;
    const hostEnd = `btnl${t}h`;
    const peer = `btnl${t}c`;
    links.push(bridge, hostEnd);
    const ns = newNetns();
    expect(existsSync(ns.path)).toBe(true);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(ns.name);

    createBridge(bridge, { mtu: 1400 });
    createVethPair(hostEnd, peer);
    setLinkMtu(hostEnd, 1400);
    setLinkMaster(hostEnd, bridge);
    moveLinkToNetns(peer, ns.path, { newName: 'eth0' });
    setLink('eth0', { mtu: 1400, mac: macFromIPv4(`${subnet}.2`) }, { netns: ns.path });
    addAddress(bridge, `${subnet}.1/24`);
    addAddress('eth0', `${subnet}.2/24`, { netns: ns.path });
    for (const name of [bridge, hostEnd]) setLinkUp(name);
    for (const name of ['lo', 'eth0']) setLinkUp(name, { netns: ns.path });
    addRoute({ gateway: `${subnet}.1` }, { netns: ns.path });

    // iproute2's view of the host side.
    const hostLinks = ipJson<IpLink>(['link', 'show']);
    const br = hostLinks.find((l) => l.ifname === bridge);
    const veth = hostLinks.find((l) => l.ifname === hostEnd);
    expect(br?.mtu).toBe(1400);
    expect(br?.flags).toContain('UP');
    expect(veth?.master).toBe(bridge);
    expect(veth?.flags).toContain('UP');
    expect(hostLinks.some((l) => l.ifname === peer)).toBe(false);
    const brAddr = ipJson<IpAddr>(['addr', 'show', 'dev', bridge])[0]?.addr_info.find((a) => a.family === 'inet');
    expect(brAddr).toMatchObject({ local: `${subnet}.1`, prefixlen: 24, broadcast: `${subnet}.255` });

    // ... and of the namespace.
    const nsLinks = ipJson<IpLink>(['link', 'show'], ns.name);
    expect(nsLinks.map((l) => l.ifname).sort()).toEqual(['eth0', 'lo']);
    const eth0 = nsLinks.find((l) => l.ifname === 'eth0');
    expect(eth0).toMatchObject({ mtu: 1400, address: macFromIPv4(`${subnet}.2`) });
    expect(eth0?.flags).toContain('UP');
    const nsAddr = ipJson<IpAddr>(['addr', 'show', 'dev', 'eth0'], ns.name)[0]?.addr_info.find((a) => a.family === 'inet');
    expect(nsAddr).toMatchObject({ local: `${subnet}.2`, prefixlen: 24 });
    const routes = ipJson<IpRoute>(['route', 'show'], ns.name);
    expect(routes).toContainEqual(expect.objectContaining({ dst: 'default', gateway: `${subnet}.1`, dev: 'eth0' }));
    expect(routes).toContainEqual(expect.objectContaining({ dst: `${subnet}.0/24`, dev: 'eth0' }));

    // Our own listings agree.
    expect(getLink(hostEnd)).toMatchObject({ master: bridge, mtu: 1400, up: true, kind: 'veth' });
    expect(getLink(bridge)).toMatchObject({ kind: 'bridge', master: null, mac: br?.address });
    expect(getLink('eth0', { netns: ns.path })).toMatchObject({ mac: macFromIPv4(`${subnet}.2`), up: true });
    expect(listAddresses('eth0', { netns: ns.path })).toContainEqual(
      expect.objectContaining({ cidr: `${subnet}.2/24`, family: 4, scope: 'global', broadcast: `${subnet}.255` }),
    );
    expect(listRoutes({ netns: ns.path })).toContainEqual(expect.objectContaining({ dst: null, gateway: `${subnet}.1`, link: 'eth0' }));

    // Real traffic both ways.
    expect(ping(`${subnet}.2`)).toBe(true);
    expect(ping(`${subnet}.1`, ns.name)).toBe(true);

    // Tear down with our own calls and check nothing remains.
    setLinkMaster(hostEnd, null);
    expect(getLink(hostEnd)?.master).toBeNull();
    deleteLink(hostEnd);
    deleteLink(bridge);
    deleteNetns(ns.path);
    expect(hostLinkNames().filter((n) => n.includes(t))).toEqual([]);
    expect(existsSync(ns.path)).toBe(false);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(ns.name);
  });

  it('creates the veth peer directly in a namespace given by pid, path or fd', async () => {
    const t = tag();
    const pid = await processInNewNetns();
    const ns = newNetns();
    links.push(`btnl${t}a`, `btnl${t}c`);

    createVethPair(`btnl${t}a`, `btnl${t}b`, { peerNetns: { pid }, mtu: 1300 });
    createVethPair(`btnl${t}c`, `btnl${t}d`, { peerNetns: ns.path });
    const fd = openSync(ns.path, 'r');
    try {
      createVethPair(`btnl${t}e`, `btnl${t}f`, { peerNetns: { fd } });
      links.push(`btnl${t}e`);
      expect(getLink(`btnl${t}f`, { netns: { fd } })?.kind).toBe('veth');
    } finally {
      closeSync(fd);
    }
    expect(ipJson<IpLink>(['link', 'show'], ns.name).map((l) => l.ifname)).toContain(`btnl${t}f`);
    deleteLink(`btnl${t}e`);
    const inPid = JSON.parse(execFileSync('nsenter', ['-t', String(pid), '-n', 'ip', '-j', 'link', 'show'], { encoding: 'utf8' })) as IpLink[];
    expect(inPid.find((l) => l.ifname === `btnl${t}b`)?.mtu).toBe(1300);
    expect(getLink(`btnl${t}b`, { netns: { pid } })?.mtu).toBe(1300);
    expect(ipJson<IpLink>(['link', 'show'], ns.name).map((l) => l.ifname)).toContain(`btnl${t}d`);
    expect(hostLinkNames().filter((n) => n.includes(t)).sort()).toEqual([`btnl${t}a`, `btnl${t}c`]);

    // Deleting one end from inside its namespace removes the pair.
    deleteLink(`btnl${t}d`, { netns: ns.path });
    deleteLink(`btnl${t}a`);
    expect(hostLinkNames().filter((n) => n.includes(t))).toEqual([]);
    expect(getLink(`btnl${t}b`, { netns: { pid } })).toBeUndefined();
  });

  it('acts inside a namespace without touching the host', () => {
    const t = tag();
    // Sync fs calls run on the calling thread: this is the main thread's own namespace.
    const mainThreadNetns = readlinkSync('/proc/thread-self/ns/net');
    const ns = newNetns();
    const opts = { netns: ns.path };
    createBridge(`btnl${t}x`, opts);
    expect(hostLinkNames()).not.toContain(`btnl${t}x`);
    renameLink(`btnl${t}x`, `btnl${t}y`, opts);
    setLinkMtu(`btnl${t}y`, 1280, opts);
    setLinkMac(`btnl${t}y`, '02:42:0a:d5:00:07', opts);
    setLinkUp(`btnl${t}y`, opts);
    expect(ipJson<IpLink>(['link', 'show', 'dev', `btnl${t}y`], ns.name)[0]).toMatchObject({ mtu: 1280, address: '02:42:0a:d5:00:07' });

    // IPv6 and on-link routes, added then removed.
    addAddress(`btnl${t}y`, 'fd00:213::1/64', { ...opts, nodad: true });
    addAddress(`btnl${t}y`, `10.213.${randomInt(256)}.1/24`, opts);
    const v6 = ipJson<IpAddr>(['-6', 'addr', 'show', 'dev', `btnl${t}y`], ns.name)[0]?.addr_info;
    expect(v6).toContainEqual(expect.objectContaining({ local: 'fd00:213::1', prefixlen: 64 }));
    expect(listAddresses(`btnl${t}y`, opts).map((a) => a.cidr)).toContain('fd00:213::1/64');
    addRoute({ dst: '10.213.250.0/24', link: `btnl${t}y`, metric: 7 }, opts);
    addRoute({ dst: 'fd00:214::/64', gateway: 'fd00:213::2' }, opts);
    expect(ipJson<IpRoute & { metric?: number; scope?: string }>(['route', 'show'], ns.name)).toContainEqual(
      expect.objectContaining({ dst: '10.213.250.0/24', dev: `btnl${t}y`, metric: 7, scope: 'link' }),
    );
    expect(listRoutes({ ...opts, family: 6 })).toContainEqual(expect.objectContaining({ dst: 'fd00:214::/64', gateway: 'fd00:213::2', link: `btnl${t}y` }));
    deleteRoute({ dst: '10.213.250.0/24', link: `btnl${t}y`, metric: 7 }, opts);
    deleteRoute({ dst: 'fd00:214::/64', gateway: 'fd00:213::2' }, opts);
    deleteAddress(`btnl${t}y`, 'fd00:213::1/64', opts);
    expect(ipJson<IpRoute>(['route', 'show', '10.213.250.0/24'], ns.name)).toEqual([]);
    expect(listAddresses(`btnl${t}y`, opts).map((a) => a.cidr)).not.toContain('fd00:213::1/64');

    setLinkDown(`btnl${t}y`, opts);
    expect(getLink(`btnl${t}y`, opts)?.up).toBe(false);
    expect(listLinks(opts).map((l) => l.name).sort()).toEqual([`btnl${t}y`, 'lo']);
    expect(readlinkSync('/proc/thread-self/ns/net')).toBe(mainThreadNetns);
    expect(readlinkSync('/proc/self/ns/net')).toBe(mainThreadNetns);
  });

  it('reads and sets IPv4 forwarding per namespace', () => {
    const ns = newNetns();
    const read = () => execFileSync('ip', ['netns', 'exec', ns.name, 'cat', '/proc/sys/net/ipv4/ip_forward'], { encoding: 'utf8' }).trim();
    // A new namespace starts with the host's IPv4 value (net.core.devconf_inherit_init_net=0).
    expect(ipForwarding({ netns: ns.path })).toBe(read() === '1');
    setIpForwarding(false, { netns: ns.path });
    expect(read()).toBe('0');
    expect(ipForwarding({ netns: ns.path })).toBe(false);
    setIpForwarding(true, { netns: ns.path });
    expect(read()).toBe('1');
    expect(ipForwarding({ netns: ns.path })).toBe(true);
    setIpForwarding(false, { netns: ns.path });
    expect(read()).toBe('0');
    // The host's own value is read through /proc/sys and left alone.
    expect(ipForwarding()).toBe(execFileSync('cat', ['/proc/sys/net/ipv4/ip_forward'], { encoding: 'utf8' }).trim() === '1');
  });

  it('reports errors with errno codes like Node', () => {
    const t = tag();
    const ns = newNetns();
    const opts = { netns: ns.path };
    createBridge(`btnl${t}e`, opts);
    expect(() => createBridge(`btnl${t}e`, opts)).toThrow(expect.objectContaining({ code: 'EEXIST', syscall: 'RTM_NEWLINK' }));
    expect(() => deleteLink(`btnl${t}z`, opts)).toThrow(expect.objectContaining({ code: 'ENODEV' }));
    expect(() => setLinkMac(`btnl${t}e`, 'not-a-mac', opts)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => addAddress(`btnl${t}e`, '10.213.0.1/33', opts)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => deleteAddress(`btnl${t}e`, '10.213.0.1/24', opts)).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL', syscall: 'RTM_DELADDR' }));
    expect(() => deleteRoute({ dst: '10.213.99.0/24' }, opts)).toThrow(expect.objectContaining({ code: 'ESRCH', syscall: 'RTM_DELROUTE' }));
    expect(() => listLinks({ netns: `/run/netns/btnl-missing-${t}` })).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'open' }));
    expect(() => createNetns(ns.path)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    // The kernel's extended ack reason travels in the message.
    expect(() => addRoute({ dst: '10.213.98.0/24', gateway: '10.213.97.1' }, opts)).toThrow(/ENETUNREACH|Nexthop/);
  });
});
