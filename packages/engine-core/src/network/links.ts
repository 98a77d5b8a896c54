import { InvalidParameterError } from '@berth/api-types';

/** What a link needs of the container linked to. */
export interface LinkedContainer {
  /** Its name with the slash ('/db'). */
  name: string;
  ip: string;
  hostname: string;
  exposedPorts: Record<string, unknown> | null | undefined;
  env: readonly string[];
}

export interface Link {
  /** The alias in the parent ('db' of `--link db:db`). */
  alias: string;
  child: LinkedContainer;
}

/**
 * A `--link` value: `name:alias`, `name` (the alias is the name), or the stored form
 * `/name:/parent/alias`. Returns the child's name and the alias, without slashes.
 */
export function parseLink(text: string): { name: string; alias: string } {
  const [rawName = '', rawAlias, ...rest] = text.split(':');
  const name = rawName.replace(/^\//, '');
  const alias = rawAlias === undefined ? name : (rawAlias.split('/').pop() ?? '');
  if (rest.length > 0 || name === '' || alias === '') throw new InvalidParameterError(`invalid link format: ${text}`);
  return { name, alias };
}

/** The stored form of a link: `/db:/web/db`. */
export function storedLink(childName: string, parentName: string, alias: string): string {
  return `/${childName.replace(/^\//, '')}:/${parentName.replace(/^\//, '')}/${alias}`;
}

/** Exposed ports in Docker's order: by port number, then protocol. */
function sortedPorts(exposed: Record<string, unknown> | null | undefined): Array<[string, string]> {
  return Object.keys(exposed ?? {})
    .map((k): [string, string] => {
      const [port = '', proto = 'tcp'] = k.split('/');
      return [port, proto];
    })
    .sort((a, b) => Number(a[0]) - Number(b[0]) || a[1].localeCompare(b[1]));
}

/**
 * links.Link.ToEnv: ALIAS_PORT (the lowest port), ALIAS_PORT_<port>_<PROTO>[_ADDR|_PORT|_PROTO],
 * ALIAS_NAME (`/parent/alias`) and ALIAS_ENV_<var> for the child's environment but HOME and PATH.
 */
export function linkEnv(parentName: string, link: Link): string[] {
  const prefix = link.alias.toUpperCase().replace(/-/g, '_');
  const { child } = link;
  const env: string[] = [];
  const ports = sortedPorts(child.exposedPorts);
  const first = ports[0];
  if (first) env.push(`${prefix}_PORT=${first[1]}://${child.ip}:${first[0]}`);
  for (const [port, proto] of ports) {
    const key = `${prefix}_PORT_${port}_${proto.toUpperCase()}`;
    env.push(`${key}=${proto}://${child.ip}:${port}`, `${key}_ADDR=${child.ip}`, `${key}_PORT=${port}`, `${key}_PROTO=${proto}`);
  }
  env.push(`${prefix}_NAME=/${parentName.replace(/^\//, '')}/${link.alias}`);
  for (const v of child.env) {
    const parts = v.split('=');
    if (parts.length < 2 || parts[0] === 'HOME' || parts[0] === 'PATH') continue;
    env.push(`${prefix}_ENV_${parts[0]}=${parts[1]}`);
  }
  return env;
}

/** The parent's /etc/hosts line of a link: the alias, the child's hostname, and its name when that differs from the alias. */
export function linkHostsEntry(link: Link): string {
  const name = link.child.name.replace(/^\//, '');
  const names = [link.alias, link.child.hostname, ...(link.alias !== name ? [name] : [])];
  return `${link.child.ip}\t${names.join(' ')}`;
}
