import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostConfig } from '@berth/api-types';
import { ConflictError, formatRFC3339Nano, ForbiddenError, InvalidParameterError, NotFoundError, nowNanos } from '@berth/api-types';
import { addAddress, addRoute, createVethPair, deleteLink, listLinks, macFromIPv4, setLink } from '@berth/libcontainer';
import { gatewayText, pickSubnet, setupBridge, setupNetworkBridge, subnetsInUse, teardownNetworkBridge, USER_CANDIDATES, type Bridge } from './bridge.js';
import type { NetworkConfig } from './config.js';
import { DnsServer, nameservers } from './dns.js';
import type { Attachment, EndpointRecord } from './endpoint.js';
import { AddressPool } from './ipam.js';
import { contains, numberToIp, parseCidr4, subnetText } from './ipv4.js';
import { PortMapper, portRequests } from './ports.js';
import { BUILTIN_NETWORKS, type NetworkRecord } from './record.js';
import { networkName } from './settings.js';
import type { NetworkStore } from './store.js';

/** What connecting a container needs from its record. */
export interface ConnectRequest {
  id: string;
  /** Its name without the slash. */
  name: string;
  hostConfig: HostConfig;
  exposedPorts: Record<string, unknown> | null | undefined;
  macAddress: string;
}

/** What `network create` asks for. */
export interface NetworkCreateRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string; IPRange?: string }> | null } | null;
}

/** A network as the engine runs it. */
export interface Net {
  record: NetworkRecord;
  builtin: boolean;
  bridge: Bridge | null;
  pool: AddressPool | null;
  ports: PortMapper;
  dns: DnsServer | null;
  /** The endpoints of running containers. */
  endpoints: Set<EndpointRecord>;
}

const OPTION_BRIDGE_NAME = 'com.docker.network.bridge.name';

/**
 * The engine's networks: the default bridge, host, none and user-defined bridges, each with its
 * addresses, published ports and (user-defined ones) a DNS server on the gateway address. A
 * container gets its addresses and ports before it is created and its veth pairs (eth0, eth1,
 * ...) once its network namespace exists; all go when it stops.
 */
export class NetworkManager {
  private readonly nets = new Map<string, Net>();

  private constructor(
    readonly config: NetworkConfig,
    private readonly engineId: string,
    private readonly store: NetworkStore,
    private readonly log: (line: string) => void,
  ) {}

  static open(config: NetworkConfig, engineId: string, store: NetworkStore, log: (line: string) => void): NetworkManager {
    const m = new NetworkManager(config, engineId, store, log);
    m.openBuiltins();
    for (const r of store.list()) m.nets.set(r.Id, m.openUserNetwork(r));
    return m;
  }

  private builtinRecord(name: (typeof BUILTIN_NETWORKS)[number], bridge: Bridge | null): NetworkRecord {
    return {
      Id: createHash('sha256').update(`${this.engineId}/network/${name}`).digest('hex'),
      Name: name,
      Created: formatRFC3339Nano(nowNanos()),
      Driver: name === 'bridge' ? 'bridge' : name === 'host' ? 'host' : 'null',
      Subnet: bridge ? subnetText(bridge.subnet) : '',
      Gateway: bridge ? gatewayText(bridge) : '',
      IPRange: this.config.fixedCidr ?? '',
      Internal: false,
      Attachable: false,
      Labels: {},
      Options:
        name === 'bridge'
          ? {
              'com.docker.network.bridge.default_bridge': 'true',
              'com.docker.network.bridge.enable_icc': 'true',
              'com.docker.network.bridge.enable_ip_masquerade': String(this.config.ipMasq),
              'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
              [OPTION_BRIDGE_NAME]: this.config.bridge,
              'com.docker.network.driver.mtu': '1500',
            }
          : {},
      BridgeName: bridge?.name ?? '',
    };
  }

  private openBuiltins(): void {
    const bridge = this.config.bridge === 'none' ? null : setupBridge(this.config);
    let pool: AddressPool | null = null;
    if (bridge) {
      const range = this.config.fixedCidr ? parseCidr4(this.config.fixedCidr).subnet : bridge.subnet;
      if (range.prefixLen < bridge.subnet.prefixLen || !contains(bridge.subnet, range.network)) {
        throw new InvalidParameterError(`--fixed-cidr ${this.config.fixedCidr} is not within the bridge's subnet ${subnetText(bridge.subnet)}`);
      }
      pool = new AddressPool(bridge.subnet, bridge.gateway, range);
    }
    for (const name of BUILTIN_NETWORKS) {
      const b = name === 'bridge' ? bridge : null;
      const record = this.builtinRecord(name, b);
      this.nets.set(record.Id, { record, builtin: true, bridge: b, pool: b ? pool : null, ports: new PortMapper(b, this.config.iptables), dns: null, endpoints: new Set() });
    }
  }

  private openUserNetwork(record: NetworkRecord): Net {
    const bridge = setupNetworkBridge(record.BridgeName, `${record.Gateway}/${record.Subnet.split('/')[1]}`, {
      ipMasq: this.config.ipMasq && !record.Internal,
      iptables: this.config.iptables,
      ipForward: this.config.ipForward,
    });
    const range = record.IPRange ? parseCidr4(record.IPRange).subnet : bridge.subnet;
    const net: Net = { record, builtin: false, bridge, pool: new AddressPool(bridge.subnet, bridge.gateway, range), ports: new PortMapper(bridge, this.config.iptables), dns: null, endpoints: new Set() };
    DnsServer.listen(record.Gateway, (name) => this.lookup(net, name), this.upstreams())
      .then((dns) => (net.dns = dns))
      .catch((e: unknown) => this.log(`network ${record.Name}: DNS on ${record.Gateway}:53: ${(e as Error).message}`));
    return net;
  }

  /** The host's resolvers, which the networks' DNS servers forward other names to. */
  private upstreams(): string[] {
    if (this.config.dns.length > 0) return this.config.dns;
    try {
      return nameservers(readFileSync('/etc/resolv.conf', 'utf8'));
    } catch {
      return [];
    }
  }

  /** What a network's DNS answers for a name: the addresses of running containers called so there. */
  private lookup(net: Net, name: string): string[] {
    const out: string[] = [];
    for (const ep of net.endpoints) {
      if (ep.ContainerName === name || ep.Aliases.includes(name) || ep.ContainerID.slice(0, 12) === name) out.push(ep.IPAddress);
    }
    return out;
  }

  // --- networks --------------------------------------------------------------------------

  list(): Net[] {
    return [...this.nets.values()];
  }

  /** A network by name, full ID or unique ID prefix; 404 `network X not found`. */
  get(ref: string): Net {
    const all = this.list();
    const found = all.find((n) => n.record.Name === ref) ?? all.find((n) => n.record.Id === ref);
    if (found) return found;
    const byPrefix = ref.length > 0 ? all.filter((n) => n.record.Id.startsWith(ref)) : [];
    if (byPrefix.length === 1 && byPrefix[0]) return byPrefix[0];
    if (byPrefix.length > 1) throw new InvalidParameterError(`network ${ref} is ambiguous (${byPrefix.length} matches found on name)`);
    throw new NotFoundError(`network ${ref} not found`);
  }

  /** The ID of a network by name (for NetworkSettings.Networks), '' when it is gone. */
  idOf(name: string): string {
    return this.list().find((n) => n.record.Name === name)?.record.Id ?? '';
  }

  create(req: NetworkCreateRequest): NetworkRecord {
    const driver = req.Driver || 'bridge';
    if (driver !== 'bridge') {
      if (driver === 'host' || driver === 'null') throw new ForbiddenError(`only one instance of "${driver}" network is allowed`);
      throw new NotFoundError(`plugin "${driver}" not found`);
    }
    if (!req.Name) throw new InvalidParameterError('network name cannot be empty');
    if (this.list().some((n) => n.record.Name === req.Name)) throw new ConflictError(`network with name ${req.Name} already exists`);
    if ((BUILTIN_NETWORKS as readonly string[]).includes(req.Name)) throw new ForbiddenError(`${req.Name} is a pre-defined network and cannot be created`);
    const cfg = req.IPAM?.Config?.[0];
    const taken = [...subnetsInUse(), ...this.list().flatMap((n) => (n.record.Subnet ? [parseCidr4(n.record.Subnet).subnet] : []))];
    let gatewayCidr: string;
    if (cfg?.Subnet) {
      const { subnet } = parseCidr4(cfg.Subnet);
      if (taken.some((t) => contains(t, subnet.network) || contains(subnet, t.network))) {
        throw new ForbiddenError(`Pool overlaps with other one on this address space`);
      }
      const gw = cfg.Gateway || numberToIp(subnet.network + 1);
      if (!contains(subnet, parseCidr4(`${gw}/32`).ip)) throw new InvalidParameterError(`no matching subnet for gateway ${gw}`);
      gatewayCidr = `${gw}/${subnet.prefixLen}`;
    } else {
      gatewayCidr = pickSubnet(taken, USER_CANDIDATES);
    }
    const { ip, subnet } = parseCidr4(gatewayCidr);
    const id = randomBytes(32).toString('hex');
    const record: NetworkRecord = {
      Id: id,
      Name: req.Name,
      Created: formatRFC3339Nano(nowNanos()),
      Driver: 'bridge',
      Subnet: subnetText(subnet),
      Gateway: numberToIp(ip),
      IPRange: cfg?.IPRange ?? '',
      Internal: req.Internal ?? false,
      Attachable: req.Attachable ?? false,
      Labels: { ...(req.Labels ?? {}) },
      Options: { ...(req.Options ?? {}) },
      BridgeName: req.Options?.[OPTION_BRIDGE_NAME] ?? `br-${id.slice(0, 12)}`,
    };
    const net = this.openUserNetwork(record);
    if (!this.store.add(record)) {
      this.teardown(net);
      throw new ConflictError(`network with name ${req.Name} already exists`);
    }
    this.nets.set(id, net);
    return record;
  }

  /** Removes a user-defined network that no running container is on (stopped ones fail to start after). */
  async remove(ref: string): Promise<NetworkRecord> {
    const net = this.get(ref);
    if (net.builtin) throw new ForbiddenError(`${net.record.Name} is a pre-defined network and cannot be removed`);
    if (net.endpoints.size > 0) {
      throw new ForbiddenError(`error while removing network: network ${net.record.Name} id ${net.record.Id} has active endpoints`);
    }
    this.store.remove(net.record.Id);
    this.nets.delete(net.record.Id);
    await net.dns?.close();
    this.teardown(net);
    return net.record;
  }

  private teardown(net: Net): void {
    if (net.bridge) teardownNetworkBridge(net.bridge, this.config.iptables);
  }

  // --- endpoints -------------------------------------------------------------------------

  /** The networks a container with this NetworkMode is attached to when nothing else is recorded. */
  defaultAttachments(h: HostConfig, asked: Record<string, { Aliases: string[]; IPv4Address?: string }> = {}): Attachment[] {
    const name = networkName(h.NetworkMode);
    if (name === 'host' || name === 'none' || name.startsWith('container:')) return [];
    const net = this.get(name);
    const a = asked[name] ?? asked[h.NetworkMode] ?? asked[net.record.Id];
    return [{ NetworkID: net.record.Id, Aliases: a?.Aliases ?? [], ...(a?.IPv4Address ? { IPv4Address: a.IPv4Address } : {}) }];
  }

  /** Allocates the container's addresses (and publishes its ports on the first network) before it exists. */
  async connectAll(r: ConnectRequest, attachments: readonly Attachment[]): Promise<EndpointRecord[]> {
    const eps: EndpointRecord[] = [];
    try {
      for (const a of attachments) {
        const net = this.nets.get(a.NetworkID);
        if (!net) throw new NotFoundError(`network ${a.NetworkID} not found`);
        if (!net.pool || !net.bridge) continue;
        eps.push(await this.allocate(net, r, a, `eth${eps.length}`, eps.length === 0));
      }
    } catch (e) {
      await this.disconnectAll(eps);
      throw e;
    }
    return eps;
  }

  private async allocate(net: Net, r: ConnectRequest, a: Attachment, ifName: string, primary: boolean): Promise<EndpointRecord> {
    const bridge = net.bridge as Bridge;
    const pool = net.pool as AddressPool;
    const ip = pool.allocate(a.IPv4Address);
    try {
      const endpointId = randomBytes(32).toString('hex');
      const requests = primary ? portRequests(r.exposedPorts, r.hostConfig.PortBindings ?? {}, r.hostConfig.PublishAllPorts) : [];
      const { ports, mappings } = await net.ports.publish(requests, ip, `${r.name} (${endpointId})`);
      const ep: EndpointRecord = {
        NetworkID: net.record.Id,
        EndpointID: endpointId,
        ContainerID: r.id,
        ContainerName: r.name,
        Aliases: a.Aliases,
        IfName: ifName,
        IPAddress: ip,
        IPPrefixLen: bridge.subnet.prefixLen,
        Gateway: gatewayText(bridge),
        MacAddress: (primary && r.macAddress) || macFromIPv4(ip),
        Veth: `veth${randomBytes(4).toString('hex').slice(0, 7)}`,
        Ports: ports,
        Mappings: mappings,
      };
      net.endpoints.add(ep);
      return ep;
    } catch (e) {
      pool.release(ip);
      throw e;
    }
  }

  /** Connects a running container to one more network, as the next ethN. */
  async connectRunning(r: ConnectRequest, a: Attachment, pid: number): Promise<EndpointRecord | undefined> {
    const net = this.nets.get(a.NetworkID);
    if (!net?.pool || !net.bridge) return undefined;
    const names = new Set(listLinks({ netns: { pid } }).map((l) => l.name));
    let n = 0;
    while (names.has(`eth${n}`)) n++;
    const ep = await this.allocate(net, r, a, `eth${n}`, false);
    try {
      this.plumb(ep, pid, false);
    } catch (e) {
      await this.disconnectAll([ep]);
      throw e;
    }
    return ep;
  }

  /** The veth pairs: host ends on their bridges, ethN in the container with its address; the default route through the first. */
  plumbAll(eps: readonly EndpointRecord[], pid: number): void {
    eps.forEach((ep, i) => this.plumb(ep, pid, i === 0));
  }

  private plumb(ep: EndpointRecord, pid: number, defaultRoute: boolean): void {
    const bridge = this.nets.get(ep.NetworkID)?.bridge;
    if (!bridge) return;
    const netns = { pid };
    createVethPair(ep.Veth, ep.IfName, { peerNetns: netns });
    try {
      setLink(ep.Veth, { master: bridge.name, up: true });
      setLink(ep.IfName, { mac: ep.MacAddress, up: true }, { netns });
      addAddress(ep.IfName, `${ep.IPAddress}/${ep.IPPrefixLen}`, { netns });
      if (defaultRoute) addRoute({ gateway: ep.Gateway }, { netns });
    } catch (e) {
      removeVeth(ep.Veth);
      throw e;
    }
  }

  /** Releases the addresses, ports and veths of a container that stopped (or left a network). */
  async disconnectAll(eps: readonly EndpointRecord[]): Promise<void> {
    for (const ep of eps) {
      const net = this.nets.get(ep.NetworkID);
      net?.pool?.release(ep.IPAddress);
      net?.endpoints.delete(ep);
      removeVeth(ep.Veth);
      await net?.ports.release(ep.Mappings, ep.IPAddress);
    }
  }

  /** Takes back the endpoints of a container still running from before a daemon restart. */
  async restoreAll(eps: readonly EndpointRecord[]): Promise<void> {
    for (const ep of eps) {
      const net = this.nets.get(ep.NetworkID);
      if (!net) continue;
      net.pool?.reserve(ep.IPAddress);
      net.endpoints.add(ep);
    }
    for (const ep of eps) await this.nets.get(ep.NetworkID)?.ports.restore(ep.Mappings, ep.IPAddress);
  }

  /** The nameserver a container on a user-defined network uses: its first such network's DNS. */
  dnsFor(eps: readonly EndpointRecord[]): string | undefined {
    for (const ep of eps) {
      const net = this.nets.get(ep.NetworkID);
      if (net && !net.builtin) return net.record.Gateway;
    }
    return undefined;
  }

  /** Stops the proxies and DNS servers (the daemon exits); rules and bridges stay for the containers still running. */
  async close(): Promise<void> {
    for (const net of this.nets.values()) {
      await net.ports.closeProxies();
      await net.dns?.close();
    }
  }
}

/** The host end of a veth, if the kernel has not removed it with the container's namespace already. */
function removeVeth(name: string): void {
  try {
    deleteLink(name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENODEV') throw e;
  }
}
