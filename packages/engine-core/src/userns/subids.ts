import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { IdMap } from '@berth/libcontainer';

/** A line of /etc/subuid or /etc/subgid: `name:start:count` (the name may be a numeric ID). */
export interface SubIdRange {
  name: string;
  start: number;
  count: number;
}

/** The ranges of a subuid/subgid file's text; blank lines, comments and malformed lines are skipped. */
export function parseSubIds(text: string): SubIdRange[] {
  const out: SubIdRange[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name, start, count, ...rest] = line.split(':');
    if (!name || rest.length > 0 || !/^\d+$/.test(start ?? '') || !/^\d+$/.test(count ?? '')) continue;
    out.push({ name, start: Number(start), count: Number(count) });
  }
  return out;
}

/** The file's ranges, with Go's error text when it cannot be read (`open /etc/subuid: no such file or directory`). */
export function readSubIds(path: string): SubIdRange[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`open ${path}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  return parseSubIds(text);
}

/**
 * The ID map of the ranges listed for any of `names` (a user's name and its numeric ID), in
 * the file's order: container IDs count up from 0 across the ranges (idtools' createIDMap).
 */
export function idMapOf(ranges: readonly SubIdRange[], names: readonly string[]): IdMap[] {
  const maps: IdMap[] = [];
  let containerId = 0;
  for (const r of ranges) {
    if (!names.includes(r.name)) continue;
    maps.push({ containerId, hostId: r.start, size: r.count });
    containerId += r.count;
  }
  return maps;
}

const RANGE_START = 100000;
const RANGE_LENGTH = 65536;

/** Where a new 65536-ID range starts: after every listed range it would overlap (idtools' findNextRangeStart). */
export function nextRangeStart(ranges: readonly SubIdRange[]): number {
  let start = RANGE_START;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const end = start + RANGE_LENGTH;
    const overlaps = (start >= r.start && start <= r.start + r.count) || (end <= r.start + r.count && end >= r.start);
    if (overlaps) start = r.start + r.count;
  }
  return start;
}

/** Gives `name` a fresh range in the file unless it has one (as `usermod -v/-w` would). */
export function ensureSubIdRange(path: string, name: string): void {
  let ranges: SubIdRange[];
  try {
    ranges = readSubIds(path);
  } catch {
    ranges = [];
  }
  if (ranges.some((r) => r.name === name)) return;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${sep}${name}:${nextRangeStart(ranges)}:${RANGE_LENGTH}\n`);
}
