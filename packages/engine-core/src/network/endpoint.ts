import type { PortMap } from '@berth/api-types';
import type { PortMapping } from './ports.js';

/** A container's place on the bridge while it runs, kept in its record (so it survives a daemon restart). */
export interface EndpointRecord {
  NetworkID: string;
  EndpointID: string;
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
