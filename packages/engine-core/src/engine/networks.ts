import type { EndpointSettings, FilterArgs, HostConfig, NetworkCreateResponse, NetworkPruneResponse, NetworkResource, NetworkSettings } from '@berth/api-types';
import { ForbiddenError, InvalidParameterError, NotFoundError } from '@berth/api-types';
import type { EventsBus } from '../events/index.js';
import {
  networkName,
  networkSettings,
  networksOf,
  type Attachment,
  type ContainerNetworks,
  type Net,
  type NetworkCreateRequest,
  type NetworkManager,
  type NetworkRef,
} from '../network/index.js';
import type { ContainerRecord } from './record.js';

/** What the network API needs of the engine's containers. */
export interface ContainerAccess {
  get(ref: string): { id: string; name: string; record: ContainerRecord; pid: number };
  all(): Array<{ id: string; name: string; record: ContainerRecord; pid: number }>;
  /** Stores the record and rewrites the container's network files. */
  changed(id: string): void;
}

const ref = (n: Net): NetworkRef => ({ id: n.record.Id, name: n.record.Name, builtin: n.builtin });

/**
 * The network API over the engine's NetworkManager: list, inspect, create, remove, connect,
 * disconnect, prune; and the container side of it (attachments, NetworkSettings).
 */
export class EngineNetworks {
  constructor(
    readonly manager: NetworkManager,
    private readonly containers: ContainerAccess,
    private readonly events: EventsBus,
  ) {}

  private find(idOrName: string): NetworkRef | undefined {
    const n = this.manager.list().find((x) => x.record.Id === idOrName || x.record.Name === idOrName);
    return n ? ref(n) : undefined;
  }

  /** The networks a container is attached to: those recorded, else its NetworkMode's. */
  attachments(record: ContainerRecord): Attachment[] {
    return record.Attachments ?? this.manager.defaultAttachments(record.HostConfig);
  }

  /**
   * The attachments of a new container: its NetworkMode's network with the aliases of
   * NetworkingConfig (only user-defined networks take aliases, as Docker says).
   */
  attachmentsForCreate(
    h: HostConfig,
    endpoints: Record<string, { Aliases?: readonly string[] | null; IPAMConfig?: { IPv4Address?: string | null } | null } | null> | undefined,
  ): Attachment[] {
    const asked: Record<string, { Aliases: string[]; IPv4Address?: string }> = {};
    for (const [name, e] of Object.entries(endpoints ?? {})) {
      const ip = e?.IPAMConfig?.IPv4Address;
      asked[name] = { Aliases: [...(e?.Aliases ?? [])], ...(ip ? { IPv4Address: ip } : {}) };
    }
    const list = this.manager.defaultAttachments(h, asked);
    for (const a of list) {
      if (!this.find(a.NetworkID)?.builtin) continue;
      if (a.Aliases.length > 0) throw new InvalidParameterError('network-scoped alias is supported only for containers in user defined networks');
      if (a.IPv4Address) throw new InvalidParameterError('user specified IP address is supported on user defined networks only');
    }
    return list;
  }

  private view(record: ContainerRecord): ContainerNetworks {
    return { hostConfig: record.HostConfig, attachments: this.attachments(record), endpoints: record.Endpoints ?? [], network: (x) => this.find(x) };
  }

  settings(record: ContainerRecord, sandboxKey: string): NetworkSettings {
    return networkSettings(this.view(record), sandboxKey);
  }

  summary(record: ContainerRecord): Record<string, EndpointSettings> {
    return networksOf(this.view(record));
  }

  // --- the /networks API -----------------------------------------------------------------

  private resource(n: Net, withContainers: boolean): NetworkResource {
    const r = n.record;
    const containers: NetworkResource['Containers'] = {};
    if (withContainers) {
      for (const ep of n.endpoints) {
        containers[ep.ContainerID] = { Name: ep.ContainerName, EndpointID: ep.EndpointID, MacAddress: ep.MacAddress, IPv4Address: `${ep.IPAddress}/${ep.IPPrefixLen}`, IPv6Address: '' };
      }
    }
    return {
      Name: r.Name,
      Id: r.Id,
      Created: r.Created,
      Scope: 'local',
      Driver: r.Driver,
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: null, Config: r.Subnet ? [{ Subnet: r.Subnet, Gateway: r.Gateway, ...(r.IPRange ? { IPRange: r.IPRange } : {}) }] : [] },
      Internal: r.Internal,
      Attachable: r.Attachable,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Containers: containers,
      Options: r.Options,
      Labels: r.Labels,
    };
  }

  /** `GET /networks` with the name, id, driver, label, type and dangling filters. */
  list(filters: FilterArgs = new Map()): NetworkResource[] {
    const matches = (key: string, test: (v: string) => boolean): boolean => {
      const values = filters.get(key);
      return !values || values.size === 0 || [...values].some(test);
    };
    for (const key of filters.keys()) {
      if (!['name', 'id', 'driver', 'label', 'type', 'dangling', 'scope'].includes(key)) throw new InvalidParameterError(`invalid filter '${key}'`);
    }
    return this.manager
      .list()
      .filter((n) => {
        const r = n.record;
        return (
          matches('name', (v) => r.Name.includes(v)) &&
          matches('id', (v) => r.Id.startsWith(v)) &&
          matches('driver', (v) => r.Driver === v) &&
          matches('scope', (v) => v === 'local') &&
          matches('type', (v) => (v === 'builtin' ? n.builtin : v === 'custom' ? !n.builtin : false)) &&
          matches('label', (v) => {
            const [k = '', val] = v.split('=', 2);
            return k in r.Labels && (val === undefined || r.Labels[k] === val);
          }) &&
          matches('dangling', (v) => (v === 'true' || v === '1') === (!n.builtin && !this.inUse(r.Id)))
        );
      })
      .map((n) => this.resource(n, false));
  }

  inspect(idOrName: string): NetworkResource {
    return this.resource(this.manager.get(idOrName), true);
  }

  create(req: NetworkCreateRequest): NetworkCreateResponse {
    const r = this.manager.create(req);
    this.events.log('network', 'create', r.Id, { name: r.Name, type: r.Driver });
    return { Id: r.Id, Warning: '' };
  }

  private inUse(id: string): boolean {
    return this.containers.all().some((c) => this.attachments(c.record).some((a) => a.NetworkID === id));
  }

  async remove(idOrName: string): Promise<void> {
    const r = await this.manager.remove(idOrName);
    this.events.log('network', 'destroy', r.Id, { name: r.Name, type: r.Driver });
  }

  /** `POST /networks/prune`: removes the user-defined networks no container uses. */
  async prune(): Promise<NetworkPruneResponse> {
    const deleted: string[] = [];
    for (const n of this.manager.list()) {
      if (n.builtin || n.endpoints.size > 0 || this.inUse(n.record.Id)) continue;
      await this.remove(n.record.Id);
      deleted.push(n.record.Name);
    }
    return { NetworksDeleted: deleted };
  }

  /** `POST /networks/{id}/connect`: attached now, and given an interface at once when running. */
  async connect(idOrName: string, containerRef: string, aliases: string[] = []): Promise<void> {
    const n = this.manager.get(idOrName);
    const c = this.containers.get(containerRef);
    const mode = networkName(c.record.HostConfig.NetworkMode);
    if (mode === 'host' || mode === 'none' || mode.startsWith('container:') || n.record.Driver !== 'bridge') {
      throw new ForbiddenError(`container cannot be disconnected from host network or connected to host network`);
    }
    const attachments = this.attachments(c.record);
    if (attachments.some((a) => a.NetworkID === n.record.Id)) {
      throw new ForbiddenError(`endpoint with name ${c.name} already exists in network ${n.record.Name}`);
    }
    if (aliases.length > 0 && n.builtin) throw new InvalidParameterError('network-scoped alias is supported only for containers in user defined networks');
    const a: Attachment = { NetworkID: n.record.Id, Aliases: aliases };
    if (c.pid > 0) {
      const req = { id: c.id, name: c.name, hostConfig: c.record.HostConfig, exposedPorts: c.record.Config.ExposedPorts, macAddress: '' };
      const ep = await this.manager.connectRunning(req, a, c.pid);
      if (ep) c.record.Endpoints = [...(c.record.Endpoints ?? []), ep];
    }
    c.record.Attachments = [...attachments, a];
    this.containers.changed(c.id);
    this.events.log('network', 'connect', n.record.Id, { container: c.id, name: n.record.Name, type: n.record.Driver });
  }

  /** `POST /networks/{id}/disconnect`. */
  async disconnect(idOrName: string, containerRef: string): Promise<void> {
    const n = this.manager.get(idOrName);
    const c = this.containers.get(containerRef);
    const attachments = this.attachments(c.record);
    if (!attachments.some((a) => a.NetworkID === n.record.Id)) {
      if (n.builtin && n.record.Name !== 'bridge') throw new ForbiddenError('container cannot be disconnected from host network or connected to host network');
      throw new NotFoundError(`container ${c.id} is not connected to network ${n.record.Name}`);
    }
    const eps = (c.record.Endpoints ?? []).filter((e) => e.NetworkID === n.record.Id);
    await this.manager.disconnectAll(eps);
    c.record.Endpoints = (c.record.Endpoints ?? []).filter((e) => e.NetworkID !== n.record.Id);
    c.record.Attachments = attachments.filter((a) => a.NetworkID !== n.record.Id);
    this.containers.changed(c.id);
    this.events.log('network', 'disconnect', n.record.Id, { container: c.id, name: n.record.Name, type: n.record.Driver });
  }
}
