import { InvalidParameterError } from './errors.js';

/** Docker's `filters.Args`: each key with its set of values. */
export type FilterArgs = Map<string, Set<string>>;

/**
 * Parses the `filters` query parameter: `{"key":["v1","v2"]}` or the pre-1.22 form
 * `{"key":{"v1":true}}`. An empty string means no filters.
 */
export function parseFilters(json: string | undefined): FilterArgs {
  const args: FilterArgs = new Map();
  if (!json) return args;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new InvalidParameterError(`invalid filter: ${(e as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidParameterError('invalid filter: expected a JSON object');
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = Array.isArray(value)
      ? value.map(String)
      : value && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([v]) => v)
        : undefined;
    if (values === undefined) throw new InvalidParameterError(`invalid filter '${key}'`);
    args.set(key, new Set(values));
  }
  return args;
}

/** Refuses keys outside `accepted` with Docker's `invalid filter 'x'`. */
export function validateFilterKeys(args: FilterArgs, accepted: readonly string[]): void {
  for (const key of args.keys()) {
    if (!accepted.includes(key)) throw new InvalidParameterError(`invalid filter '${key}'`);
  }
}

/** True when `key` has no values or one of them equals `value`. */
export function exactMatch(args: FilterArgs, key: string, value: string | undefined): boolean {
  const values = args.get(key);
  if (!values || values.size === 0) return true;
  return value !== undefined && values.has(value);
}

/** True when `key` has no values or one of them equals `value` or is a prefix of it. */
export function fuzzyMatch(args: FilterArgs, key: string, value: string | undefined): boolean {
  const values = args.get(key);
  if (!values || values.size === 0) return true;
  if (value === undefined) return false;
  for (const v of values) if (value.startsWith(v)) return true;
  return false;
}

/** `label=key` / `label=key=value` filters: every one must hold in `labels`. */
export function matchKeyValueList(args: FilterArgs, key: string, labels: Record<string, string>): boolean {
  const values = args.get(key);
  if (!values || values.size === 0) return true;
  for (const v of values) {
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    if (!(k in labels)) return false;
    if (eq >= 0 && labels[k] !== v.slice(eq + 1)) return false;
  }
  return true;
}
