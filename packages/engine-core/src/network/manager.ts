import { createHash, randomBytes } from 'node:crypto';
import type { HostConfig, NetworkSettings } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import { addAddress, addRoute, createVethPair, deleteLink, macFromIPv4, setLink } from '@berth/libcontainer';
import { setupBridge, gatewayText, type Bridge } from './bridge.js';
import type { NetworkConfig } from './config.js';
import type { EndpointRecord } from './endpoint.js';
import { AddressPool } from './ipam.js';
import { contains, parseCidr4 } from './ipv4.js';
import { PortMapper, portRequests } from './ports.js';
import { networkName, networkSettings, networksOf } from './settings.js';

/** What connecting a container needs from its record. */
export interface ConnectRequest {
  id: string;
  name: string;
  hostConfig: HostConfig;
  exposedPorts: Record<string, unknown> | null | undefined;
  macAddress: string;
}

/**
 * The engine's networking: the default bridge with its addresses and published ports. A
 * container on the bridge gets an address and its ports before it is created, and its veth
 * pair (eth0 inside) once its network namespace exists; both go when it stops.
 */
export class NetworkManager {
  private constructor(
    readonly config: NetworkConfig,
    private readonly engineId: string,
    readonly bridge: Bridge | null,
    private readonly pool: AddressPool | null,
    private readonly ports: PortMapper,
  ) {}

  static open(config: NetworkConfig, engineId: string): NetworkManager {
    if (config.bridge === 'none') return new NetworkManager(config, engineId, null, null, new PortMapper(null, false));
    const bridge = setupBridge(config);
    let range = bridge.subnet;
    if (config.fixedCidr) {
      range = parseCidr4(config.fixedCidr).subnet;
      if (range.prefixLen < bridge.subnet.prefixLen || !contains(bridge.subnet, range.network)) {
        throw new InvalidParameterError(`--fixed-cidr ${config.fixedCidr} is not within the bridge's subnet`);
      }
    }
    const pool = new AddressPool(bridge.subnet, bridge.gateway, range);
    return new NetworkManager(config, engineId, bridge, pool, new PortMapper(bridge, config.iptables));
  }

  /** A built-in network's ID: stable for this engine (bridge, host, none). */
  networkId(name: string): string {
    return createHash('sha256').update(`${this.engineId}/network/${name}`).digest('hex');
  }

  /** Whether a container with this NetworkMode gets an endpoint on the bridge. */
  onBridge(h: HostConfig): boolean {
    return this.bridge !== null && networkName(h.NetworkMode) === 'bridge';
  }

  /** Allocates the container's address and publishes its ports (before the container exists). */
  async connect(r: ConnectRequest): Promise<EndpointRecord | undefined> {
    const bridge = this.bridge;
    if (!bridge || !this.pool || !this.onBridge(r.hostConfig)) return undefined;
    const ip = this.pool.allocate();
    try {
      const endpointId = randomBytes(32).toString('hex');
      const requests = portRequests(r.exposedPorts, r.hostConfig.PortBindings ?? {}, r.hostConfig.PublishAllPorts);
      const { ports, mappings } = await this.ports.publish(requests, ip, `${r.name.replace(/^\//, '')} (${endpointId})`);
      return {
        NetworkID: this.networkId('bridge'),
        EndpointID: endpointId,
        IPAddress: ip,
        IPPrefixLen: bridge.subnet.prefixLen,
        Gateway: gatewayText(bridge),
        MacAddress: r.macAddress || macFromIPv4(ip),
        Veth: `veth${randomBytes(4).toString('hex').slice(0, 7)}`,
        Ports: ports,
        Mappings: mappings,
      };
    } catch (e) {
      this.pool.release(ip);
      throw e;
    }
  }

  /** The veth pair: the host end on the bridge, eth0 in the container's namespace with its address and default route. */
  plumb(ep: EndpointRecord, pid: number): void {
    const bridge = this.bridge;
    if (!bridge) return;
    const netns = { pid };
    createVethPair(ep.Veth, 'eth0', { peerNetns: netns });
    try {
      setLink(ep.Veth, { master: bridge.name, up: true });
      setLink('eth0', { mac: ep.MacAddress, up: true }, { netns });
      addAddress('eth0', `${ep.IPAddress}/${ep.IPPrefixLen}`, { netns });
      addRoute({ gateway: ep.Gateway }, { netns });
    } catch (e) {
      removeVeth(ep.Veth);
      throw e;
    }
  }

  /** Releases the address, ports and veth of a container that stopped. */
  async disconnect(ep: EndpointRecord): Promise<void> {
    removeVeth(ep.Veth);
    await this.ports.release(ep.Mappings, ep.IPAddress);
    this.pool?.release(ep.IPAddress);
  }

  /** Takes back the endpoint of a container still running from before a daemon restart. */
  async restore(ep: EndpointRecord): Promise<void> {
    this.pool?.reserve(ep.IPAddress);
    await this.ports.restore(ep.Mappings, ep.IPAddress);
  }

  settings(h: HostConfig, ep: EndpointRecord | undefined, sandboxKey: string): NetworkSettings {
    return networkSettings(h, ep, { sandboxKey, idOf: (n) => this.networkId(n) });
  }

  networks(h: HostConfig, ep: EndpointRecord | undefined): ReturnType<typeof networksOf> {
    return networksOf(h, ep, (n) => this.networkId(n));
  }

  /** Stops the proxies (the daemon exits); rules and bridge stay for the containers still running. */
  close(): Promise<void> {
    return this.ports.closeProxies();
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
