import { InvalidParameterError, SystemError } from '@berth/api-types';
import { addAddress, createBridge, deleteLink, getLink, ipForwarding, listAddresses, listRoutes, setIpForwarding, setLinkUp } from '@berth/libcontainer';
import { DEFAULT_BRIDGE, type NetworkConfig } from './config.js';
import { deleteChain, deleteRule, ensureRule, resetChain } from './iptables.js';
import { numberToIp, overlaps, parseCidr4, subnetText, type Subnet4 } from './ipv4.js';

/** Docker's candidate addresses for a default bridge, in the order it tries them. */
export const BRIDGE_CANDIDATES = [
  '172.17.42.1/16',
  '10.0.42.1/16',
  '10.1.42.1/16',
  '10.42.42.1/16',
  '172.16.42.1/24',
  '172.16.43.1/24',
  '172.16.44.1/24',
  '10.0.42.1/24',
  '10.0.43.1/24',
  '192.168.42.1/24',
  '192.168.43.1/24',
  '192.168.44.1/24',
];

/** A bridge as the engine uses it: its name, address, subnet and the chain of its rules. */
export interface Bridge {
  name: string;
  gateway: number;
  subnet: Subnet4;
  /** The iptables chain (nat and filter) of this bridge's published ports. */
  chain: string;
}

/** The chain of a bridge's rules: named after the bridge, so two daemons never share one. */
export function chainName(bridge: string): string {
  return `BERTH-${bridge}`;
}

/** The first candidate that overlaps no address or route already in this namespace. */
export function pickSubnet(inUse: readonly Subnet4[], candidates: readonly string[] = BRIDGE_CANDIDATES): string {
  for (const c of candidates) {
    const { subnet } = parseCidr4(c);
    if (!inUse.some((u) => overlaps(u, subnet))) return c;
  }
  throw new SystemError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}

/** User-defined networks' subnets when none is given: Docker's default address pools. */
export const USER_CANDIDATES = [
  ...Array.from({ length: 15 }, (_, i) => `172.${17 + i}.0.1/16`),
  ...Array.from({ length: 16 }, (_, i) => `192.168.${i * 16}.1/20`),
];

/** Subnets already on this namespace's links and routes. */
export function subnetsInUse(): Subnet4[] {
  const fromRoutes = listRoutes().flatMap((r) => (r.dst ? [parseCidr4(r.dst).subnet] : []));
  const fromAddrs = listAddresses().flatMap((a) => (a.family === 4 && a.link !== 'lo' ? [parseCidr4(a.cidr).subnet] : []));
  return [...fromRoutes, ...fromAddrs];
}

/** The bridge of a user-defined network: made with the network's gateway address, its rules as the default bridge's. */
export function setupNetworkBridge(name: string, gatewayCidr: string, o: { ipMasq: boolean; iptables: boolean; ipForward: boolean }): Bridge {
  if (!getLink(name)) createBridge(name);
  if (!listAddresses(name).some((a) => a.cidr === gatewayCidr)) addAddress(name, gatewayCidr);
  setLinkUp(name);
  if (o.ipForward && !ipForwarding()) setIpForwarding(true);
  const { ip, subnet } = parseCidr4(gatewayCidr);
  const bridge: Bridge = { name, gateway: ip, subnet, chain: chainName(name) };
  if (o.iptables) setupRules(bridge, o.ipMasq);
  return bridge;
}

/** Removes a user-defined network's bridge and its rules. */
export function teardownNetworkBridge(b: Bridge, iptablesManaged: boolean): void {
  if (iptablesManaged) {
    const net = subnetText(b.subnet);
    deleteRule('nat', 'POSTROUTING', ['-s', net, '!', '-o', b.name, '-j', 'MASQUERADE']);
    for (const rule of forwardRules(b)) deleteRule('filter', 'FORWARD', rule);
    deleteChain('nat', b.chain, [
      ['PREROUTING', ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', b.chain]],
      ['OUTPUT', ['!', '-d', '127.0.0.0/8', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', b.chain]],
    ]);
    deleteChain('filter', b.chain, []);
  }
  try {
    deleteLink(b.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENODEV') throw e;
  }
}

/** Creates (or takes back) the default bridge with its address, turns forwarding on and sets up NAT. */
export function setupBridge(config: NetworkConfig): Bridge {
  const name = config.bridge;
  let cidr: string;
  const link = getLink(name);
  if (link) {
    const addr = listAddresses(name).find((a) => a.family === 4);
    if (config.bip) {
      if (addr && addr.cidr !== config.bip) {
        throw new InvalidParameterError(`bridge IP ${addr.cidr} does not match requested configuration ${config.bip}`);
      }
      if (!addr) addAddress(name, config.bip);
      cidr = config.bip;
    } else if (addr) {
      cidr = addr.cidr;
    } else {
      cidr = pickSubnet(subnetsInUse());
      addAddress(name, cidr);
    }
  } else {
    if (name !== DEFAULT_BRIDGE) throw new InvalidParameterError(`bridge ${name} not found: create it, or leave -b out for ${DEFAULT_BRIDGE}`);
    cidr = config.bip ?? pickSubnet(subnetsInUse());
    createBridge(name);
    addAddress(name, cidr);
  }
  setLinkUp(name);
  const { ip, subnet } = parseCidr4(cidr);
  if (config.ipForward && !ipForwarding()) setIpForwarding(true);
  const bridge: Bridge = { name, gateway: ip, subnet, chain: chainName(name) };
  if (config.iptables) setupRules(bridge, config.ipMasq);
  return bridge;
}

/**
 * Docker's rules for a bridge: masquerade what leaves the subnet, a nat chain for published
 * ports reached from outside and from the host itself (not 127.0.0.1: the proxy takes that),
 * and a filter chain accepting forwarded traffic to published ports.
 */
function setupRules(b: Bridge, ipMasq: boolean): void {
  const net = subnetText(b.subnet);
  if (ipMasq) ensureRule('nat', 'POSTROUTING', ['-s', net, '!', '-o', b.name, '-j', 'MASQUERADE']);
  resetChain('nat', b.chain);
  resetChain('filter', b.chain);
  ensureRule('nat', 'PREROUTING', ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', b.chain]);
  ensureRule('nat', 'OUTPUT', ['!', '-d', '127.0.0.0/8', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', b.chain]);
  for (const rule of forwardRules(b)) ensureRule('filter', 'FORWARD', rule);
}

function forwardRules(b: Bridge): string[][] {
  return [
    ['-o', b.name, '-j', b.chain],
    ['-o', b.name, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
    ['-i', b.name, '!', '-o', b.name, '-j', 'ACCEPT'],
    ['-i', b.name, '-o', b.name, '-j', 'ACCEPT'],
  ];
}

export function gatewayText(b: Bridge): string {
  return numberToIp(b.gateway);
}
