import type { EndpointSettings, HostConfig, NetworkSettings } from '@berth/api-types';
import type { Attachment, EndpointRecord } from './endpoint.js';

/** The network a container's NetworkMode puts it on ('' and 'default' mean the bridge). */
export function networkName(mode: string): string {
  return mode === '' || mode === 'default' ? 'bridge' : mode;
}

/** What settings need of a network. */
export interface NetworkRef {
  id: string;
  name: string;
  builtin: boolean;
}

function endpointSettings(net: NetworkRef, a: Attachment | undefined, ep: EndpointRecord | undefined): EndpointSettings {
  const aliases = a?.Aliases ?? [];
  return {
    IPAMConfig: a?.IPv4Address ? { IPv4Address: a.IPv4Address } : null,
    Links: null,
    Aliases: net.builtin ? null : aliases,
    MacAddress: ep?.MacAddress ?? '',
    NetworkID: net.id,
    EndpointID: ep?.EndpointID ?? '',
    Gateway: ep?.Gateway ?? '',
    IPAddress: ep?.IPAddress ?? '',
    IPPrefixLen: ep?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DriverOpts: null,
    DNSNames: net.builtin || !ep ? null : [ep.ContainerName, ...aliases, ep.ContainerID.slice(0, 12)],
  };
}

/** A container's network facts: its mode, attachments, running endpoints, and how to find networks. */
export interface ContainerNetworks {
  hostConfig: HostConfig;
  attachments: readonly Attachment[];
  endpoints: readonly EndpointRecord[];
  network: (idOrName: string) => NetworkRef | undefined;
}

/**
 * NetworkSettings.Networks by network name: host or none for those modes, nothing for
 * `container:` (it has no network of its own), else every attached network with its
 * addresses while the container runs.
 */
export function networksOf(c: ContainerNetworks): Record<string, EndpointSettings> {
  const mode = networkName(c.hostConfig.NetworkMode);
  if (mode.startsWith('container:')) return {};
  if (mode === 'host' || mode === 'none') {
    const net = c.network(mode);
    return net ? { [mode]: endpointSettings(net, undefined, undefined) } : {};
  }
  const out: Record<string, EndpointSettings> = {};
  for (const a of c.attachments) {
    const net = c.network(a.NetworkID);
    if (!net) continue;
    out[net.name] = endpointSettings(net, a, c.endpoints.find((e) => e.NetworkID === a.NetworkID));
  }
  return out;
}

/**
 * Inspect's NetworkSettings, never with null where Docker has {} (Ports and Networks): the
 * top-level addresses are those on the default bridge, Ports those of the first network.
 */
export function networkSettings(c: ContainerNetworks, sandboxKey: string): NetworkSettings {
  const onBridge = c.endpoints.find((e) => c.network(e.NetworkID)?.name === 'bridge');
  return {
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: c.endpoints[0]?.Ports ?? {},
    SandboxKey: sandboxKey,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: onBridge?.EndpointID ?? '',
    Gateway: onBridge?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: onBridge?.IPAddress ?? '',
    IPPrefixLen: onBridge?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: onBridge?.MacAddress ?? '',
    Networks: networksOf(c),
  };
}
