import { humanDuration, humanSize } from '@berth/api-types';
import { TabWriter } from '../tabwriter.js';
import { displayablePorts } from './ports.js';
import type { PortEntry } from './ports.js';
import { renderFormat } from './table.js';
import { goQuote, truncateBytes, truncateId } from './text.js';

/** The fields of a `GET /containers/json` entry that ps shows. */
export interface PsContainer {
  Id: string;
  Names?: string[] | null;
  Image: string;
  Command: string;
  Created: number;
  Ports?: PortEntry[] | null;
  Status: string;
  SizeRw?: number;
  SizeRootFs?: number;
  Labels?: Record<string, string> | null;
}

export interface PsOptions {
  quiet: boolean;
  noTrunc: boolean;
  size: boolean;
  format?: string;
  /** ms since the epoch. */
  now: number;
}

/** Names without their leading slash; unless noTrunc, only the container's own name (no link names). */
function displayNames(c: PsContainer, noTrunc: boolean): string[] {
  const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
  if (noTrunc) return names;
  const own = names.find((n) => !n.includes('/'));
  return own === undefined ? names : [own];
}

/** The `--format` fields of ps (docker 1.8's container context). */
function formatRow(c: PsContainer, o: PsOptions): Record<string, string> {
  const size = c.SizeRootFs ? `${humanSize(c.SizeRw ?? 0)} (virtual ${humanSize(c.SizeRootFs)})` : humanSize(c.SizeRw ?? 0);
  return {
    ID: o.noTrunc ? c.Id : truncateId(c.Id),
    Image: c.Image || '<no image>',
    Command: o.noTrunc ? c.Command : truncateBytes(c.Command, 20),
    CreatedAt: new Date(c.Created * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC'),
    RunningFor: humanDuration(o.now - c.Created * 1000),
    Ports: displayablePorts(c.Ports ?? []),
    Status: c.Status,
    Size: size,
    Names: displayNames(c, o.noTrunc).join(','),
    Labels: Object.entries(c.Labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  };
}

const HEADERS = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
};

/** `docker ps` output: the 1.7 table, IDs only with -q, or a --format template. */
export function formatPs(containers: readonly PsContainer[], o: PsOptions): string {
  if (o.quiet) return containers.map((c) => `${o.noTrunc ? c.Id : truncateId(c.Id)}\n`).join('');
  if (o.format) return renderFormat(o.format, containers.map((c) => formatRow(c, o)), HEADERS);
  let out = '';
  const w = new TabWriter((s) => (out += s));
  w.write(`CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES${o.size ? '\tSIZE\n' : '\t\n'}`);
  for (const c of containers) {
    const row = formatRow(c, o);
    const command = o.noTrunc ? goQuote(c.Command) : truncateBytes(goQuote(c.Command), 20);
    w.write(`${row.ID}\t${row.Image}\t${command}\t${row.RunningFor} ago\t${c.Status}\t${row.Ports}\t${row.Names}\t`);
    w.write(o.size ? `${row.Size}\n` : '\n');
  }
  w.flush();
  return out;
}
