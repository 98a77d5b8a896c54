/** Go's strconv.Quote / QuoteRune / unicode.IsPrint for JS strings. */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(cp: number): boolean {
  return printable.test(String.fromCodePoint(cp));
}

const shortEscapes: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return '\\' + String.fromCodePoint(cp);
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return String.fromCodePoint(cp);
  const short = shortEscapes[cp];
  if (short !== undefined) return short;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2);
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
  if (cp < 0x10000) return '\\u' + hex(cp, 4);
  return '\\U' + hex(cp, 8);
}

/** strconv.Quote (asciiOnly: strconv.QuoteToASCII). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0) ?? 0, 0x22, asciiOnly);
  return out + '"';
}

/** strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). */
export function quoteRune(cp: number, asciiOnly = false): string {
  const valid = cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return "'" + escapeRune(valid ? cp : 0xfffd, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote: no control characters (except tab), no backquote, no U+FEFF. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x60 || cp === 0xfeff || cp === 0x7f || (cp < 0x20 && cp !== 9)) return false;
  }
  return true;
}

/** strconv.Unquote for the string literals the lexer accepts ("..." and `...`). */
export function unquote(lit: string): string {
  if (lit.startsWith('`')) {
    if (lit.length < 2 || !lit.endsWith('`')) throw new SyntaxError('invalid syntax');
    return lit.slice(1, -1).replaceAll('\r', '');
  }
  const q = lit[0];
  if ((q !== '"' && q !== "'") || lit.length < 2 || lit[lit.length - 1] !== q) throw new SyntaxError('invalid syntax');
  const body = lit.slice(1, -1);
  const bytes: number[] = [];
  const pushCp = (cp: number): void => {
    bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
  };
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i) ?? 0;
    const c = String.fromCodePoint(cp);
    if (c === q && q === '"') throw new SyntaxError('invalid syntax');
    if (c !== '\\') {
      pushCp(cp);
      i += c.length;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };
    if (e !== undefined && simple[e] !== undefined) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) throw new SyntaxError('invalid syntax');
      bytes.push(simple[e] ?? 0);
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new SyntaxError('invalid syntax');
      const v = parseInt(digits, 16);
      i += n;
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError('invalid syntax');
      else pushCp(v);
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const digits = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxError('invalid syntax');
      const v = parseInt(digits, 8);
      if (v > 255) throw new SyntaxError('invalid syntax');
      bytes.push(v);
      i += 2;
    } else {
      throw new SyntaxError('invalid syntax');
    }
  }
  const out = Buffer.from(bytes).toString('utf8');
  if (q === "'" && [...out].length !== 1) throw new SyntaxError('invalid syntax');
  return out;
}
