import type { ContainerStatus, FilterArgs, Port } from '@berth/api-types';
import { exactMatch, InvalidParameterError, matchKeyValueList, validateFilterKeys } from '@berth/api-types';

/** The filter keys `GET /containers/json` accepts. */
export const PS_FILTER_KEYS = [
  'ancestor',
  'before',
  'exited',
  'expose',
  'health',
  'id',
  'isolation',
  'is-task',
  'label',
  'name',
  'network',
  'publish',
  'since',
  'status',
  'volume',
] as const;

const STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

/** What listing needs to know of one container. */
export interface PsEntry {
  id: string;
  /** Its own name, with `/`. */
  name: string;
  status: ContainerStatus;
  /** True while running, paused or restarting (Docker's `Running`). */
  running: boolean;
  /** False until the container was first started. */
  everStarted: boolean;
  exitCode: number;
  labels: Record<string, string>;
  /** `none` without a healthcheck. */
  health: string;
  /** Names and destinations of its mounts. */
  mounts: { name: string; destination: string }[];
  /** The networks it is attached to. */
  networks: { id: string; name: string }[];
  /** As `/containers/json` lists them. */
  ports: Port[];
  /** Config.Image and the image ID. */
  image: string;
  imageId: string;
}

/** A validated listing request; `before`/`since` are full IDs the caller resolved. */
export interface PsQuery {
  all: boolean;
  limit: number;
  filters: FilterArgs;
  before?: string;
  since?: string;
  /** True when `imageId` is the image named by an `ancestor` value or built on it. */
  isAncestor?: (imageId: string, ancestor: string) => boolean;
}

/** Docker's `Match`: no values, an equal value, or a value that is a regexp found in `source`. */
function match(args: FilterArgs, key: string, source: string): boolean {
  if (exactMatch(args, key, source)) return true;
  for (const v of args.get(key) ?? []) {
    try {
      if (new RegExp(v).test(source)) return true;
    } catch {
      // Not a regexp: it only matched exactly.
    }
  }
  return false;
}

/** `80`, `80/udp`, `8000-8010/tcp` → the set of `port/proto` keys. */
function portSet(values: Iterable<string>, key: string): Set<string> {
  const out = new Set<string>();
  for (const v of values) {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(v);
    if (!m) throw new InvalidParameterError(`invalid filter '${key}=${v}'`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    for (let p = start; p <= end; p++) out.add(`${p}/${m[3] ?? 'tcp'}`);
  }
  return out;
}

/**
 * Checks the filters of a listing with Docker's messages and returns what the listing derives
 * from them: exit codes, and `all` forced on by a `status` filter.
 */
export function preparePsFilters(args: FilterArgs): { exited: number[]; forceAll: boolean } {
  validateFilterKeys(args, PS_FILTER_KEYS);
  const exited = [...(args.get('exited') ?? [])].map((v) => {
    if (!/^[+-]?\d+$/.test(v)) throw new InvalidParameterError(`strconv.Atoi: parsing "${v}": invalid syntax`);
    return Number.parseInt(v, 10);
  });
  for (const v of args.get('status') ?? []) {
    if (!(STATUSES as readonly string[]).includes(v)) {
      throw new InvalidParameterError(`Unrecognised filter value for status: ${v}`);
    }
  }
  for (const v of args.get('health') ?? []) {
    if (!HEALTH.includes(v)) throw new InvalidParameterError(`Unrecognised filter value for health: ${v}`);
  }
  for (const v of args.get('is-task') ?? []) {
    if (v !== 'true' && v !== 'false') throw new InvalidParameterError(`Invalid filter 'is-task=${v}'`);
  }
  return { exited, forceAll: (args.get('status')?.size ?? 0) > 0 };
}

/**
 * Docker's container listing over `entries` (newest first): `before`/`since` anchors,
 * running-only unless `all`/a limit/a status filter, the filters, and the limit.
 */
export function filterContainers<E extends PsEntry>(entries: readonly E[], q: PsQuery): E[] {
  const { exited, forceAll } = preparePsFilters(q.filters);
  const all = q.all || forceAll;
  const f = q.filters;
  const publish = portSet(f.get('publish') ?? [], 'publish');
  const expose = portSet(f.get('expose') ?? [], 'expose');
  let before = q.before;
  const out: E[] = [];
  for (const c of entries) {
    if (before !== undefined) {
      if (c.id === before) before = undefined;
      continue;
    }
    if (q.since !== undefined && c.id === q.since) break;
    if (!c.running && !all && q.limit <= 0) continue;
    if (!match(f, 'name', c.name) && !match(f, 'name', c.name.replace(/^\//, ''))) continue;
    if (!match(f, 'id', c.id)) continue;
    if (f.get('is-task')?.has('true')) continue;
    if (!matchKeyValueList(f, 'label', c.labels)) continue;
    if (q.limit > 0 && out.length === q.limit) break;
    if (exited.length > 0 && !(exited.includes(c.exitCode) && !c.running && c.everStarted)) continue;
    if (!match(f, 'status', c.status)) continue;
    if (!exactMatch(f, 'health', c.health)) continue;
    if (f.get('volume')?.size && !c.mounts.some((m) => exactMatch(f, 'volume', m.name) || exactMatch(f, 'volume', m.destination))) continue;
    if (
      f.get('network')?.size &&
      !c.networks.some((n) => exactMatch(f, 'network', n.name) || [...(f.get('network') ?? [])].some((v) => n.id.startsWith(v)))
    ) {
      continue;
    }
    if (
      (publish.size > 0 || expose.size > 0) &&
      !c.ports.some(
        (p) => (p.PublicPort !== undefined && publish.has(`${p.PublicPort}/${p.Type}`)) || expose.has(`${p.PrivatePort}/${p.Type}`),
      )
    ) {
      continue;
    }
    if (f.get('ancestor')?.size && !(q.isAncestor && [...(f.get('ancestor') ?? [])].some((a) => q.isAncestor?.(c.imageId, a)))) {
      continue;
    }
    out.push(c);
  }
  return out;
}
