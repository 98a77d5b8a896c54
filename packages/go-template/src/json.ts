/** Go's encoding/json Marshal output for the value model: compact, sorted map keys, HTML-safe. */
import { entries, kindOf, type GoMap } from './value.js';

const escapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string as Go writes it: <, >, & and U+2028/9 escaped; other controls as \u00XX. */
export function jsonString(s: string): string {
  let out = '"';
  for (const c of s) {
    const e = escapes[c];
    const cp = c.codePointAt(0) ?? 0;
    if (e !== undefined) out += e;
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // a lone surrogate is invalid UTF-8
    else out += c;
  }
  return out + '"';
}

/** A float64 as Go's encoder writes it: like JS, but with exponents of at least one digit and 'e-7' style. */
function jsonNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : 'NaN'}`);
  return String(v);
}

/** json.Marshal. Functions are unsupported, as in Go. */
export function marshal(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'bool':
      return String(v);
    case 'int':
    case 'float':
      return jsonNumber(v as number | bigint);
    case 'string':
      return jsonString(v as string);
    case 'slice':
      return '[' + (v as unknown[]).map(marshal).join(',') + ']';
    case 'map':
    case 'struct': {
      const kind = kindOf(v) === 'map' ? 'map' : 'struct';
      return '{' + entries(v as GoMap, kind).map(([k, e]) => jsonString(k) + ':' + marshal(e)).join(',') + '}';
    }
    case 'func':
      throw new Error('json: unsupported type: func()');
  }
}
