import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';

/** The json-file log of a container: `<dir>/<id>-json.log`. */
export function jsonLogPath(dir: string, id: string): string {
  return join(dir, `${id}-json.log`);
}

/**
 * The rotated files of a log, oldest first: `<name>.N` … `<name>.1` (the driver renames
 * `.1` to `.2` and the live file to `.1` when it rotates).
 */
export async function rotatedLogFiles(livePath: string): Promise<string[]> {
  const slash = livePath.lastIndexOf('/');
  const dir = livePath.slice(0, slash) || '/';
  const base = livePath.slice(slash + 1);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => ({ n, m: n.startsWith(base + '.') ? /^\d+$/.exec(n.slice(base.length + 1)) : null }))
    .filter((x) => x.m !== null)
    .sort((a, b) => Number(b.m?.[0]) - Number(a.m?.[0]))
    .map((x) => join(dir, x.n));
}

const CHUNK = 64 * 1024;

/** All complete lines of `fh` in [start, end), and the offset just after the last one. */
export async function readLines(fh: FileHandle, start: number, end: number): Promise<{ lines: string[]; next: number }> {
  const lines: string[] = [];
  let pos = start;
  let carry = Buffer.alloc(0);
  let consumed = start;
  while (pos < end) {
    const buf = Buffer.alloc(Math.min(CHUNK, end - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    let data = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      lines.push(data.subarray(0, nl).toString('utf8'));
      consumed += nl + 1;
      data = data.subarray(nl + 1);
    }
    carry = data;
  }
  return { lines, next: consumed };
}

/**
 * The last `n` complete lines of `fh` before `end`, read backwards in chunks so that a
 * `--tail` of a large log does not read all of it.
 */
export async function readLastLines(fh: FileHandle, end: number, n: number): Promise<string[]> {
  if (n <= 0) return [];
  let pos = end;
  let tail = Buffer.alloc(0);
  // A line counts once its newline and the newline before it (or the file start) are seen.
  for (;;) {
    const newlines = countNewlines(tail);
    if (pos === 0 || newlines > n) break;
    const size = Math.min(CHUNK, pos);
    pos -= size;
    const buf = Buffer.alloc(size);
    await fh.read(buf, 0, size, pos);
    tail = Buffer.concat([buf, tail]);
  }
  const text = tail.toString('utf8');
  const complete = text.endsWith('\n') ? text.slice(0, -1) : text.slice(0, text.lastIndexOf('\n'));
  if (complete === '' && !text.endsWith('\n')) return [];
  const all = complete.split('\n');
  // Unless the read reached the start of the file, the first piece is a partial line.
  const whole = pos === 0 ? all : all.slice(1);
  return whole.slice(-n);
}

function countNewlines(b: Buffer): number {
  let c = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) c++;
  return c;
}
