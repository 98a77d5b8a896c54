import type { ContainerConfig, HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';

/**
 * Docker's checks of a container's network options against its network mode
 * (runconfig.validateNetMode): conflicts are 400s; ports published with the host's network
 * are only warned about. Returns the warnings.
 */
export function validateNetworkOptions(c: Pick<ContainerConfig, 'Hostname' | 'MacAddress' | 'ExposedPorts'>, h: HostConfig): string[] {
  const mode = h.NetworkMode;
  const conflict = (what: string): never => {
    throw new InvalidParameterError(`conflicting options: ${what}`);
  };
  const links = (h.Links ?? []).length > 0;
  const published = h.PublishAllPorts || Object.keys(h.PortBindings ?? {}).length > 0;
  if (mode.startsWith('container:')) {
    if (c.Hostname) conflict('hostname and the network mode');
    if (links) conflict("container type network can't be used with links. This would result in undefined behavior");
    if (h.Dns.length > 0) conflict('dns and the network mode');
    if ((h.ExtraHosts ?? []).length > 0) conflict('custom host-to-IP mapping and the network mode');
    if (c.MacAddress) conflict('mac-address and the network mode');
    if (published) conflict('port publishing and the container type network mode');
    if (Object.keys(c.ExposedPorts ?? {}).length > 0) conflict('port exposing and the container type network mode');
  }
  if (mode === 'host') {
    if (c.Hostname) conflict('hostname and the network mode');
    if (links) conflict("host type networking can't be used with links. This would result in undefined behavior");
    if (published) return ['Published ports are discarded when using host network mode'];
  }
  return [];
}
