import type { EndpointSettings, HostConfig, NetworkSettings, PortMap } from '@berth/api-types';
import type { EndpointRecord } from './endpoint.js';

/** The network a container's NetworkMode puts it on ('' and 'default' mean the bridge). */
export function networkName(mode: string): string {
  return mode === '' || mode === 'default' ? 'bridge' : mode;
}

function endpointSettings(networkId: string, ep: EndpointRecord | undefined): EndpointSettings {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: ep?.MacAddress ?? '',
    NetworkID: networkId,
    EndpointID: ep?.EndpointID ?? '',
    Gateway: ep?.Gateway ?? '',
    IPAddress: ep?.IPAddress ?? '',
    IPPrefixLen: ep?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DriverOpts: null,
    DNSNames: null,
  };
}

/**
 * NetworkSettings.Networks: the container's network by name (none for `container:` mode,
 * which has no network of its own), with its addresses while it runs.
 */
export function networksOf(h: HostConfig, ep: EndpointRecord | undefined, idOf: (name: string) => string): Record<string, EndpointSettings> {
  const name = networkName(h.NetworkMode);
  if (name.startsWith('container:')) return {};
  return { [name]: endpointSettings(idOf(name), ep) };
}

/** Inspect's NetworkSettings, never with null where Docker has {} (Ports and Networks). */
export function networkSettings(
  h: HostConfig,
  ep: EndpointRecord | undefined,
  o: { sandboxKey: string; idOf: (name: string) => string },
): NetworkSettings {
  const ports: PortMap = ep?.Ports ?? {};
  return {
    Bridge: '',
    SandboxID: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: ports,
    SandboxKey: o.sandboxKey,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: ep?.EndpointID ?? '',
    Gateway: ep?.Gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: ep?.IPAddress ?? '',
    IPPrefixLen: ep?.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: ep?.MacAddress ?? '',
    Networks: networksOf(h, ep, o.idOf),
  };
}
