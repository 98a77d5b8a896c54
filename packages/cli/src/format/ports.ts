/** One port of a `GET /containers/json` entry. */
export interface PortEntry {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

function formGroup(key: string, start: number, last: number): string {
  const [first = '', second] = key.split('/');
  const ip = second === undefined ? '' : first;
  const proto = second ?? first;
  let group = start === last ? `${start}` : `${start}-${last}`;
  if (ip !== '') group = `${ip}:${group}->${group}`;
  return `${group}/${proto}`;
}

/**
 * api.DisplayablePorts, the ps PORTS column: ports sorted by private port, runs of exposed-only
 * ports (or ports published on the same number) collapsed into ranges and listed first, then
 * the `ip:public->private/proto` mappings.
 */
export function displayablePorts(ports: readonly PortEntry[]): string {
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  for (const port of [...ports].sort((a, b) => a.PrivatePort - b.PrivatePort)) {
    const current = port.PrivatePort;
    let key = port.Type;
    if (port.IP) {
      if (port.PublicPort !== current) {
        mappings.push(`${port.IP}:${port.PublicPort ?? 0}->${current}/${port.Type}`);
        continue;
      }
      key = `${port.IP}/${port.Type}`;
    }
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { first: current, last: current });
    } else if (current === g.last + 1) {
      g.last = current;
    } else {
      result.push(formGroup(key, g.first, g.last));
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...mappings].join(', ');
}
