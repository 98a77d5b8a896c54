import { readFileSync } from 'node:fs';
import type { ListenAddress } from '@berth/api-server';
import { DEFAULT_HOST, parseHost } from './client/host.js';
import type { TlsSettings } from './client/host.js';

/** The daemon's `-H`, `-G` and `--tls*` flags. */
export interface DaemonHostFlags {
  hosts: readonly string[];
  /** `-G/--group`: the group that owns unix sockets. */
  group: string;
  /** `--tls` or `--tlsverify` was given; `verify` is `--tlsverify`. */
  tls?: TlsSettings;
}

/**
 * Where `berth daemon` listens: each `-H` (the default socket when there is none), TCP ones
 * with TLS from the `--tls*` files when asked.
 */
export function daemonListenAddresses(flags: DaemonHostFlags): ListenAddress[] {
  const hosts = flags.hosts.length > 0 ? flags.hosts : [DEFAULT_HOST];
  return hosts.map((url) => {
    const ep = parseHost(url, flags.tls);
    if (ep.kind === 'unix') return { kind: 'unix', path: ep.path, group: flags.group };
    if (!ep.tls) return { kind: 'tcp', host: ep.host, port: ep.port };
    return {
      kind: 'tcp',
      host: ep.host,
      port: ep.port,
      tls: {
        cert: readFileSync(ep.tls.certFile),
        key: readFileSync(ep.tls.keyFile),
        ...(ep.tls.verify ? { ca: readFileSync(ep.tls.caFile) } : {}),
        verify: ep.tls.verify,
      },
    };
  });
}
