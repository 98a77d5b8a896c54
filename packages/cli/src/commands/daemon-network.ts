import type { NetworkConfig } from '@berth/engine-core';
import type { FlagSet, FlagValue } from '../flags.js';

/** The daemon's network flags, as docker 1.7's daemon defines them. */
export interface DaemonNetworkFlags {
  bridge: FlagValue<string>;
  bip: FlagValue<string>;
  fixedCidr: FlagValue<string>;
  ipMasq: FlagValue<boolean>;
  iptables: FlagValue<boolean>;
  ipForward: FlagValue<boolean>;
  dns: FlagValue<string[]>;
  dnsSearch: FlagValue<string[]>;
}

export function defineDaemonNetworkFlags(fs: FlagSet): DaemonNetworkFlags {
  return {
    bridge: fs.string(['b', '-bridge'], '', 'Attach containers to a network bridge'),
    bip: fs.string(['-bip'], '', 'Specify network bridge IP'),
    fixedCidr: fs.string(['-fixed-cidr'], '', 'IPv4 subnet for fixed IPs'),
    ipMasq: fs.bool(['-ip-masq'], true, 'Enable IP masquerading'),
    iptables: fs.bool(['-iptables'], true, 'Enable addition of iptables rules'),
    ipForward: fs.bool(['-ip-forward'], true, 'Enable net.ipv4.ip_forward'),
    dns: fs.list(['#dns', '-dns'], 'DNS server to use'),
    dnsSearch: fs.list(['-dns-search'], 'DNS search domains to use'),
  };
}

/** The engine's network config from those flags: the default bridge is `berth0`. */
export function daemonNetworkConfig(f: DaemonNetworkFlags): NetworkConfig {
  return {
    bridge: f.bridge.value || 'berth0',
    ...(f.bip.value ? { bip: f.bip.value } : {}),
    ...(f.fixedCidr.value ? { fixedCidr: f.fixedCidr.value } : {}),
    ipMasq: f.ipMasq.value,
    iptables: f.iptables.value,
    ipForward: f.ipForward.value,
    dns: f.dns.value,
    dnsSearch: f.dnsSearch.value,
  };
}
