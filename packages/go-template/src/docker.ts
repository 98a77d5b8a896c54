/** The functions docker adds to its templates (docker/cli templates.basicFunctions), and the table prefix. */
import { spec, type FuncMap } from './funcs.js';
import { marshal } from './json.js';

/** strings.Title's separator rule: ASCII alphanumerics, '_', letters and digits are not separators. */
function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** strings.Title: upper-cases the first letter of each word. */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

/** strings.Split: "" as separator splits into characters. */
function split(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** docker's truncate: the first n bytes (Go slices bytes), or the whole string if shorter. */
function truncate(s: string, n: number | bigint): string {
  const bytes = Buffer.from(s, 'utf8');
  const len = Number(n);
  if (bytes.length < len) return s;
  if (len < 0) throw new Error(`runtime error: slice bounds out of range [:${len}]`);
  return bytes.subarray(0, len).toString('utf8');
}

/** docker's pad: spaces before and after a non-empty string. */
function pad(s: string, prefix: number | bigint, suffix: number | bigint): string {
  if (s === '') return s;
  return ' '.repeat(Number(prefix)) + s + ' '.repeat(Number(suffix));
}

/**
 * docker's template functions. `json` is json.Marshal as docker 1.7's inspect used it: compact,
 * map keys sorted, <, > and & escaped; a value Marshal rejects renders as "".
 */
export const dockerFuncs: FuncMap = {
  json: spec(['any'], (v: unknown) => {
    try {
      return marshal(v);
    } catch {
      return '';
    }
  }),
  split: spec(['string', 'string'], split),
  join: spec(['[]string', 'string'], (a: string[] | null, sep: string) => (a ?? []).join(sep)),
  title: spec(['string'], title),
  lower: spec(['string'], (s: string) => s.toLowerCase()),
  upper: spec(['string'], (s: string) => s.toUpperCase()),
  pad: spec(['string', 'int', 'int'], pad),
  truncate: spec(['string', 'int'], truncate),
};

/**
 * docker's header functions: the same names, each returning its first argument unchanged, so
 * executing a format against a map of column titles renders the table header.
 */
export const headerFuncs: FuncMap = {
  json: spec(['string'], (v: string) => v),
  split: spec(['string', 'string'], (v: string) => v),
  join: spec(['string', 'string'], (v: string) => v),
  title: spec(['string'], (v: string) => v),
  lower: spec(['string'], (v: string) => v),
  upper: spec(['string'], (v: string) => v),
  pad: spec(['string', 'int', 'int'], (v: string) => v),
  truncate: spec(['string', 'int'], (v: string) => v),
};

/** True for a --format value that asks for a table (docker: strings.HasPrefix(format, "table")). */
export function isTableFormat(format: string): boolean {
  return format.startsWith('table');
}

/**
 * Prepares a --format value as docker's formatter does: drops a leading "table", trims spaces,
 * and turns the two-character escapes \t and \n into a tab and a newline.
 */
export function stripTable(format: string): { table: boolean; format: string } {
  const table = isTableFormat(format);
  let f = table ? format.slice('table'.length) : format;
  f = f.replace(/^ +| +$/g, '');
  f = f.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
  return { table, format: f };
}
