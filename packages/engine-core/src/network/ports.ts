import type { PortMap } from '@berth/api-types';
import { InvalidParameterError, SystemError } from '@berth/api-types';
import { iptables, tryDeleteRule } from './iptables.js';
import { startProxy, type Proxy } from './proxy.js';

/** The book's range for -P and for bindings without a host port. */
export const EPHEMERAL_PORTS = { first: 49153, last: 65535 } as const;

/** One published port: host side and container side. */
export interface PortMapping {
  proto: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  containerPort: number;
}

interface Request {
  key: string;
  proto: 'tcp' | 'udp';
  containerPort: number;
  /** null: exposed only. */
  bindings: Array<{ HostIp: string; HostPort: string }> | null;
}

/** `80/tcp` → [80, 'tcp']. */
function splitKey(key: string): [number, 'tcp' | 'udp'] {
  const [num = '', proto = 'tcp'] = key.split('/');
  const port = Number(num);
  if (!/^\d+$/.test(num) || port < 1 || port > 65535) throw new InvalidParameterError(`invalid port specification: "${key}"`);
  if (proto !== 'tcp' && proto !== 'udp') throw new InvalidParameterError(`invalid proto: ${proto}`);
  return [port, proto];
}

/**
 * What a container asks for: every exposed or bound port, with its bindings (-p), the exposed
 * ones given a random host port with -P, in port order.
 */
export function portRequests(exposed: Record<string, unknown> | null | undefined, bound: PortMap, publishAll: boolean): Request[] {
  const keys = new Set([...Object.keys(exposed ?? {}), ...Object.keys(bound)]);
  return [...keys]
    .map((key) => {
      const [containerPort, proto] = splitKey(key);
      const b = bound[key];
      const bindings = b && b.length > 0 ? b.map((x) => ({ HostIp: x.HostIp ?? '', HostPort: x.HostPort ?? '' })) : publishAll ? [{ HostIp: '', HostPort: '' }] : null;
      return { key: `${containerPort}/${proto}`, proto, containerPort, bindings };
    })
    .sort((a, b) => a.containerPort - b.containerPort || a.proto.localeCompare(b.proto));
}

interface Active {
  mapping: PortMapping;
  containerIp: string;
  proxy: Proxy;
}

const sameHost = (a: string, b: string): boolean => a === b || a === '0.0.0.0' || b === '0.0.0.0';

/**
 * Publishes container ports: a host port per binding (an ephemeral one when none is given),
 * held by a userland proxy, and DNAT plus an accept rule in the bridge's chain when iptables is
 * managed. Released port by port when the container stops.
 */
export class PortMapper {
  private readonly active: Active[] = [];

  constructor(
    private readonly bridge: { name: string; chain: string } | null,
    private readonly useIptables: boolean,
  ) {}

  private taken(proto: string, hostIp: string, port: number): boolean {
    return this.active.some((a) => a.mapping.proto === proto && a.mapping.hostPort === port && sameHost(a.mapping.hostIp, hostIp));
  }

  /** Publishes every request; on failure releases what it had published. Returns NetworkSettings.Ports. */
  async publish(requests: readonly Request[], containerIp: string, endpoint: string): Promise<{ ports: PortMap; mappings: PortMapping[] }> {
    const ports: PortMap = {};
    const mappings: PortMapping[] = [];
    try {
      for (const r of requests) {
        if (!r.bindings) {
          ports[r.key] = null;
          continue;
        }
        const list: Array<{ HostIp: string; HostPort: string }> = [];
        for (const b of r.bindings) {
          const m = await this.bind(r, b, containerIp, endpoint);
          mappings.push(m);
          list.push({ HostIp: m.hostIp, HostPort: String(m.hostPort) });
        }
        ports[r.key] = list;
      }
    } catch (e) {
      await this.release(mappings, containerIp);
      throw e;
    }
    return { ports, mappings };
  }

  private async bind(r: Request, b: { HostIp: string; HostPort: string }, containerIp: string, endpoint: string): Promise<PortMapping> {
    const hostIp = b.HostIp || '0.0.0.0';
    const [first, last] = hostPortRange(b.HostPort);
    for (let port = first; port <= last; port++) {
      if (this.taken(r.proto, hostIp, port)) {
        if (first === last) throw new SystemError(`driver failed programming external connectivity on endpoint ${endpoint}: Bind for ${hostIp}:${port} failed: port is already allocated`);
        continue;
      }
      const mapping: PortMapping = { proto: r.proto, hostIp, hostPort: port, containerPort: r.containerPort };
      let proxy: Proxy;
      try {
        proxy = await startProxy({ ...mapping, containerIp });
      } catch (e) {
        if (first !== last && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw new SystemError(`driver failed programming external connectivity on endpoint ${endpoint}: Error starting userland proxy: listen ${r.proto}4 ${hostIp}:${port}: bind: ${describe(e)}`);
      }
      this.active.push({ mapping, containerIp, proxy });
      try {
        this.rules(mapping, containerIp, true);
      } catch (e) {
        await this.release([mapping], containerIp);
        throw e;
      }
      return mapping;
    }
    throw new SystemError(`no free host port in ${first}-${last} for ${r.key}`);
  }

  /** Takes back the mappings of a container that ran before a daemon restart. */
  async restore(mappings: readonly PortMapping[], containerIp: string): Promise<void> {
    for (const m of mappings) {
      const proxy = await startProxy({ ...m, containerIp });
      this.active.push({ mapping: m, containerIp, proxy });
      this.rules(m, containerIp, true);
    }
  }

  async release(mappings: readonly PortMapping[], containerIp: string): Promise<void> {
    for (const m of mappings) {
      const i = this.active.findIndex((a) => a.mapping === m || (a.containerIp === containerIp && same(a.mapping, m)));
      if (i < 0) continue;
      const [a] = this.active.splice(i, 1);
      this.rules(m, containerIp, false);
      await a?.proxy.close();
    }
  }

  /** Closes every proxy (the daemon stops); rules stay for containers that keep running. */
  async closeProxies(): Promise<void> {
    for (const a of this.active.splice(0)) await a.proxy.close();
  }

  private rules(m: PortMapping, containerIp: string, add: boolean): void {
    if (!this.useIptables || !this.bridge) return;
    const { name, chain } = this.bridge;
    const dst = m.hostIp === '0.0.0.0' ? [] : ['-d', m.hostIp];
    const nat = [...dst, '!', '-i', name, '-p', m.proto, '-m', m.proto, '--dport', String(m.hostPort), '-j', 'DNAT', '--to-destination', `${containerIp}:${m.containerPort}`];
    const accept = ['-d', containerIp, '!', '-i', name, '-o', name, '-p', m.proto, '-m', m.proto, '--dport', String(m.containerPort), '-j', 'ACCEPT'];
    // a mapping's rules are its own (the chains are emptied at each daemon start): no checks needed
    if (add) {
      iptables(['-t', 'nat', '-A', chain, ...nat]);
      iptables(['-t', 'filter', '-A', chain, ...accept]);
    } else {
      tryDeleteRule('nat', chain, nat);
      tryDeleteRule('filter', chain, accept);
    }
  }
}

const same = (a: PortMapping, b: PortMapping): boolean =>
  a.proto === b.proto && a.hostIp === b.hostIp && a.hostPort === b.hostPort && a.containerPort === b.containerPort;

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EADDRNOTAVAIL') return 'cannot assign requested address';
  return (e as Error).message;
}

/** A binding's host port: '' is the ephemeral range, '8080' one port, '8000-8010' the first free of a range. */
function hostPortRange(text: string): [number, number] {
  if (text === '' || text === '0') return [EPHEMERAL_PORTS.first, EPHEMERAL_PORTS.last];
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const first = Number(m?.[1]);
  const last = m?.[2] === undefined ? first : Number(m[2]);
  if (!m || first < 1 || last > 65535 || last < first) throw new InvalidParameterError(`invalid port specification: "${text}"`);
  return [first, last];
}
