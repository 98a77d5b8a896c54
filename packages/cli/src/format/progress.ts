import type { Writable } from 'node:stream';
import { humanSize } from '@berth/api-types';

/** One line of a pull/push/load stream as the daemon sends it. */
export interface JSONMessage {
  status?: string;
  progressDetail?: { current?: number; total?: number };
  id?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: unknown;
}

/** A stream's error line, as the CLI reports it (plain, without `Error response from daemon:`). */
export class StreamError extends Error {}

/**
 * jsonmessage.JSONProgress.String(): the bar (only on terminals wider than 110 columns) and
 * `current/total`; an empty string when there is nothing to count.
 */
export function progressString(detail: { current?: number; total?: number }, width: number): string {
  const current = detail.current ?? 0;
  const total = detail.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const pct = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = width > 110 ? `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] ` : '';
  return bar + (current > total ? '' : `${humanSize(current).padStart(8)}/${humanSize(total)}`);
}

export interface DisplayOptions {
  /** Redraw per-layer lines in place (a terminal) instead of printing plain lines. */
  terminal: boolean;
  /** Terminal width; the bar shows above 110 columns. */
  columns?: number;
  onAux?: (aux: unknown) => void;
}

/**
 * jsonmessage.DisplayJSONMessagesStream: on a terminal each layer keeps one line, rewritten in
 * place with its status and bar; otherwise byte-count updates are dropped and every other
 * message is a line. An error message ends the display with a StreamError.
 */
export async function displayJSONMessages(messages: AsyncIterable<unknown>, out: Writable, o: DisplayOptions): Promise<void> {
  let lines = new Map<string, number>();
  const width = o.columns ?? 80;
  for await (const raw of messages) {
    const m = raw as JSONMessage;
    if (m.aux !== undefined) {
      o.onAux?.(m.aux);
      continue;
    }
    if (m.error !== undefined || m.errorDetail?.message !== undefined) throw new StreamError(m.errorDetail?.message ?? m.error ?? '');
    const progress = m.progressDetail === undefined ? undefined : progressString(m.progressDetail, width);
    let up = 0;
    if (m.id !== undefined && m.id !== '' && progress !== undefined) {
      let line = lines.get(m.id);
      if (line === undefined) {
        line = lines.size;
        lines.set(m.id, line);
        if (o.terminal) out.write('\n');
      }
      up = lines.size - line;
      if (o.terminal) out.write(`\x1b[${up}A`);
    } else {
      // Anything else starts a new block: earlier layer lines are no longer rewritten.
      lines = new Map();
    }
    out.write(render(m, progress, o.terminal));
    if (m.id && o.terminal && up > 0) out.write(`\x1b[${up}B`);
  }
}

function render(m: JSONMessage, progress: string | undefined, terminal: boolean): string {
  let endl = '';
  let text = '';
  if (terminal && m.stream === undefined && progress !== undefined) {
    endl = '\r';
    text += '\x1b[2K\r';
  } else if (progress !== undefined && progress !== '') {
    return '';
  }
  if (m.id) text += `${m.id}: `;
  if (progress !== undefined && terminal) return `${text}${m.status ?? ''} ${progress}${endl}`;
  if (m.stream !== undefined) return `${text}${m.stream}${endl}`;
  return `${text}${m.status ?? ''}${endl}\n`;
}
