/** A network as stored (user-defined ones in the database; the built-in ones made at each start). */
export interface NetworkRecord {
  Id: string;
  Name: string;
  /** RFC 3339 with nanoseconds. */
  Created: string;
  Driver: 'bridge' | 'host' | 'null';
  /** '' for host and none. */
  Subnet: string;
  Gateway: string;
  IPRange: string;
  Internal: boolean;
  Attachable: boolean;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  /** The Linux bridge ('' for host and none). */
  BridgeName: string;
}

/** The names of the networks that always exist. */
export const BUILTIN_NETWORKS = ['bridge', 'host', 'none'] as const;
