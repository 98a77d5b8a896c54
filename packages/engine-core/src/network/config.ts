/** The daemon's network settings (its -b, --bip, --fixed-cidr, --ip-masq, ... flags). */
export interface NetworkConfig {
  /** The default bridge's name, or 'none' for containers without a bridge (only lo). */
  bridge: string;
  /** The bridge's address in CIDR notation (--bip); the first free candidate when absent. */
  bip?: string;
  /** The part of the bridge's subnet containers get addresses from (--fixed-cidr). */
  fixedCidr?: string;
  /** Masquerade traffic leaving the bridge's subnet (--ip-masq). */
  ipMasq: boolean;
  /** Manage iptables rules: NAT, forwarding, published ports (--iptables). */
  iptables: boolean;
  /** Turn on IPv4 forwarding (--ip-forward). */
  ipForward: boolean;
  /** Default DNS servers and search domains of containers (--dns, --dns-search). */
  dns: string[];
  dnsSearch: string[];
}

export const DEFAULT_BRIDGE = 'berth0';

/** What an engine gets when nobody configured networking: no bridge (so tests leave the host's network alone). */
export const NO_NETWORK: NetworkConfig = { bridge: 'none', ipMasq: true, iptables: true, ipForward: true, dns: [], dnsSearch: [] };
