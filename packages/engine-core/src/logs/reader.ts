import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readLastLines, readLines, rotatedLogFiles } from './files.js';
import { parseLogLine, type LogRecord } from './record.js';
import { watchLogDir, type LogWatcher } from './watch.js';

export interface LogReadOptions {
  stdout: boolean;
  stderr: boolean;
  /** Only the last `tail` lines of the log (both streams count); undefined or negative: all. */
  tail?: number;
  /** Only records at or after this instant (ns). */
  since?: bigint;
  /** Only records at or before this instant (ns); following ends past it. */
  until?: bigint;
  /** Keep reading what the container writes until `stopped` settles. */
  follow?: boolean;
  /** Settles when the container has stopped; required with follow. */
  stopped?: Promise<unknown>;
  /** Ends the read early (the client went away). */
  signal?: AbortSignal;
  /** How a follower learns of new data; defaults to fs.watch plus polling. */
  watch?: (dir: string) => LogWatcher;
}

/** Docker's `tail` query value: a number of lines, else (`all`, garbage) everything. */
export function parseTail(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  const n = Number.parseInt(value, 10);
  return n < 0 ? undefined : n;
}

class Filter {
  constructor(private readonly o: LogReadOptions) {}
  /** The record if it passes; `'past-until'` once records are later than `until`. */
  accept(r: LogRecord): LogRecord | 'past-until' | undefined {
    if (this.o.until !== undefined && r.timeNano > this.o.until) return 'past-until';
    if (this.o.since !== undefined && r.timeNano < this.o.since) return undefined;
    if (r.stream === 'stdout' ? !this.o.stdout : !this.o.stderr) return undefined;
    return r;
  }
}

/** The records among json-file `lines` that pass the filter, up to the first past `until`. */
function select(lines: readonly string[], filter: Filter): { records: LogRecord[]; pastUntil: boolean } {
  const records: LogRecord[] = [];
  for (const line of lines) {
    const r = parseLogLine(line);
    const out = r && filter.accept(r);
    if (out === 'past-until') return { records, pastUntil: true };
    if (out) records.push(out);
  }
  return { records, pastUntil: false };
}

/** The history lines of the rotated files and of the live file up to `liveEnd`, oldest first. */
async function historyLines(path: string, live: FileHandle | undefined, liveEnd: number, tail: number | undefined) {
  const rotated = await rotatedLogFiles(path);
  if (tail === undefined) {
    const lines: string[] = [];
    for (const file of rotated) lines.push(...(await readWholeFile(file)));
    if (live) lines.push(...(await readLines(live, 0, liveEnd)).lines);
    return lines;
  }
  let lines = live ? await readLastLines(live, liveEnd, tail) : [];
  for (const file of [...rotated].reverse()) {
    if (lines.length >= tail) break;
    const fh = await open(file, 'r').catch(() => undefined);
    if (!fh) continue;
    try {
      const size = (await fh.stat()).size;
      lines = [...(await readLastLines(fh, size, tail - lines.length)), ...lines];
    } finally {
      await fh.close();
    }
  }
  return lines;
}

async function readWholeFile(file: string): Promise<string[]> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return [];
  try {
    return (await readLines(fh, 0, (await fh.stat()).size)).lines;
  } finally {
    await fh.close();
  }
}

/**
 * Reads a container's json-file log (Docker's `docker logs` over the json-file driver):
 * rotated files and the live file, `tail`, `since`/`until`, stream selection, and with
 * `follow` the lines written afterwards, across rotations, until the container stops (what
 * it wrote before stopping is still delivered), the signal aborts, or `until` passes.
 */
export async function* readJsonLog(path: string, o: LogReadOptions): AsyncGenerator<LogRecord> {
  const filter = new Filter(o);
  let live = await open(path, 'r').catch(() => undefined);
  try {
    let pos = live ? (await live.stat()).size : 0;
    const lines = o.tail === 0 ? [] : await historyLines(path, live, pos, o.tail);
    const batch = select(lines, filter);
    yield* batch.records;
    if (batch.pastUntil) return;
    if (!o.follow || o.signal?.aborted) return;

    let stopped = false;
    void o.stopped?.then(
      () => (stopped = true),
      () => (stopped = true),
    );
    const watcher = (o.watch ?? watchLogDir)(dirname(path));
    const onAbort = () => watcher.close();
    o.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        // Read `stopped` before draining: lines written before the stop are on disk by then.
        const last = stopped || o.signal?.aborted === true;
        for (;;) {
          const fresh = live ? await readLines(live, pos, (await live.stat()).size) : { lines: [], next: 0 };
          pos = fresh.next;
          const batch = select(fresh.lines, filter);
          yield* batch.records;
          if (batch.pastUntil) return;
          if (!(await replacedOnDisk(path, live))) break;
          // Rotated: what the writer added to the old file before the rename is read by the
          // pass above only if it came before that stat, so read the old file once more.
          if (live) {
            const rest = await readLines(live, pos, (await live.stat()).size);
            const batch = select(rest.lines, filter);
            yield* batch.records;
            if (batch.pastUntil) return;
            await live.close();
          }
          live = await open(path, 'r').catch(() => undefined);
          pos = 0;
        }
        if (last || o.signal?.aborted) return;
        await Promise.race([watcher.changed(), o.stopped?.catch(() => undefined)]);
      }
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      watcher.close();
    }
  } finally {
    await live?.close();
  }
}

/** True when `path` now names another file than `fh` (the driver rotated it or created it). */
async function replacedOnDisk(path: string, fh: FileHandle | undefined): Promise<boolean> {
  const now = await stat(path).catch(() => undefined);
  if (!now) return false;
  if (!fh) return true;
  const mine = await fh.stat();
  return mine.ino !== now.ino || mine.dev !== now.dev;
}
