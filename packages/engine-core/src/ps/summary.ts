import type { Port, PortMap } from '@berth/api-types';

/**
 * The `Command` of `/containers/json`: the path and its arguments joined by spaces, an
 * argument that contains a space wrapped in single quotes (`sh -c 'echo hi'`).
 */
export function psCommand(path: string, args: readonly string[]): string {
  if (args.length === 0) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

/**
 * The `Ports` of `/containers/json` from NetworkSettings.Ports: an exposed port without
 * bindings once with its private port only, a published one once per binding.
 */
export function summaryPorts(ports: PortMap): Port[] {
  const out: Port[] = [];
  for (const [key, bindings] of Object.entries(ports)) {
    const [num, proto = 'tcp'] = key.split('/');
    const PrivatePort = Number(num);
    const Type = proto as Port['Type'];
    if (!bindings || bindings.length === 0) {
      out.push({ PrivatePort, Type });
      continue;
    }
    for (const b of bindings) {
      const PublicPort = Number.parseInt(b.HostPort, 10);
      out.push({ IP: b.HostIp, PrivatePort, ...(Number.isNaN(PublicPort) ? {} : { PublicPort }), Type });
    }
  }
  return out;
}
