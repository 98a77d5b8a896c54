// Docker's JSON-lines progress messages (pkg/jsonmessage) and the progress bar string it renders.
import { Transform, type TransformCallback } from 'node:stream';

export interface ProgressDetail {
  current?: number;
  total?: number;
}

/** One line of a pull/push stream, with Docker's field names and order. */
export interface JSONMessage {
  status?: string;
  progressDetail?: ProgressDetail;
  progress?: string;
  id?: string;
  errorDetail?: { code?: number; message: string };
  error?: string;
  aux?: unknown;
}

export type ProgressSink = (msg: JSONMessage) => void;

/** A global status line: `{"status":"Digest: sha256:…"}`, or with an id: `{"status":"Pulling from x","id":"latest"}`. */
export function statusMessage(status: string, id?: string): JSONMessage {
  return id === undefined ? { status } : { status, id };
}

/** A per-layer update without byte counts: `{"status":"Pull complete","progressDetail":{},"id":"…"}`. */
export function layerMessage(id: string, status: string): JSONMessage {
  return { status, progressDetail: {}, id };
}

/** A per-layer byte count update: `Downloading`, `Extracting`, `Pushing`. */
export function progressMessage(id: string, action: string, current: number, total: number): JSONMessage {
  const detail: ProgressDetail = {};
  if (current !== 0) detail.current = current;
  if (total !== 0) detail.total = total;
  return { status: action, progressDetail: detail, progress: progressBar(current, total), id };
}

export function errorMessage(message: string): JSONMessage {
  return { errorDetail: { message }, error: message };
}

export function auxMessage(aux: unknown): JSONMessage {
  return { progressDetail: {}, aux };
}

/** One JSON object and a newline, keys in Docker's order. */
export function formatJSONMessage(msg: JSONMessage): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ['status', 'progressDetail', 'progress', 'id', 'errorDetail', 'error', 'aux'] as const) {
    if (msg[key] !== undefined) ordered[key] = msg[key];
  }
  return `${JSON.stringify(ordered)}\n`;
}

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units HumanSize: decimal units, 4 significant digits (`1.234MB`, `512B`). */
export function humanSize(bytes: number): string {
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < decimalUnits.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(4))}${decimalUnits[i]}`;
}

/**
 * JSONProgress.String() as the daemon renders it (no terminal, so width 200): a 50-column bar
 * then `current/total`, e.g. `[==>                                                ]  1.234MB/3.4MB`.
 */
export function progressBar(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  const cur = humanSize(current).padStart(8);
  if (total <= 0) return cur;
  const pct = Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2));
  const bar = `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] `;
  return current > total ? bar + cur : `${bar}${cur}/${humanSize(total)}`;
}

/** Reports bytes passing through as progress lines, at most every 512 KiB or 100 ms, and once at the end. */
export class ProgressCounter extends Transform {
  private current = 0;
  private lastBytes = 0;
  private lastTime = 0;
  constructor(
    private readonly report: (current: number) => void,
    private readonly interval = { bytes: 512 * 1024, ms: 100 },
  ) {
    super();
  }
  /** Bytes passed so far. */
  get bytes(): number {
    return this.current;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.current += chunk.length;
    const now = Date.now();
    if (this.current - this.lastBytes >= this.interval.bytes || now - this.lastTime >= this.interval.ms) {
      this.lastBytes = this.current;
      this.lastTime = now;
      this.report(this.current);
    }
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.current !== this.lastBytes) this.report(this.current);
    cb();
  }
}

/** Docker shows layers by the first 12 hex digits of their digest. */
export function shortId(digest: string): string {
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}
