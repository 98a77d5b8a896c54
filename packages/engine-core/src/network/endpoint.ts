import type { PortMap } from '@berth/api-types';
import type { PortMapping } from './ports.js';

/** A container's place on one network while it runs, kept in its record (so it survives a daemon restart). */
export interface EndpointRecord {
  NetworkID: string;
  EndpointID: string;
  ContainerID: string;
  /** The container's name without the slash, for the network's DNS and inspect. */
  ContainerName: string;
  /** --network-alias names (and the short ID) the network's DNS answers for too. */
  Aliases: string[];
  /** eth0, eth1, ... in the container. */
  IfName: string;
  IPAddress: string;
  IPPrefixLen: number;
  Gateway: string;
  MacAddress: string;
  /** The host end of the veth pair. */
  Veth: string;
  /** NetworkSettings.Ports: every exposed port, with its host bindings when published. */
  Ports: PortMap;
  Mappings: PortMapping[];
}

/** A network a container is attached to (whether or not it runs), with its aliases there. */
export interface Attachment {
  NetworkID: string;
  Aliases: string[];
  /** The address asked for (`--ip`, user-defined networks only). */
  IPv4Address?: string;
}
