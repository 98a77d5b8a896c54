// Go's notions of "space", "printable" and string quoting, which Docker's parser
// uses and whose output (the S-expression dump, error messages) must match byte for byte.

/** unicode.IsSpace: Latin-1 spaces plus the White_Space property. Unlike JS \s, U+0085 is in and U+FEFF out. */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return ch >= '\u2000' && ch <= '\u200a';
  }
}

/** strings.TrimSpace / TrimLeftFunc(unicode.IsSpace). */
export function goTrimLeft(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s[i]!)) i++;
  return i === 0 ? s : s.slice(i);
}

export function goTrimSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isGoSpace(s[end - 1]!)) end--;
  return goTrimLeft(s.slice(0, end));
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const letter = /^\p{L}$/u;
const digit = /^\p{Nd}$/u;

export const isGoLetter = (ch: string): boolean => letter.test(ch);
export const isGoDigit = (ch: string): boolean => digit.test(ch);

const shortEscapes: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** strconv.Quote (and fmt's %q for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = shortEscapes[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (ch === ' ' || (cp >= 0x21 && cp < 0x7f) || (cp > 0x7f && printable.test(ch))) {
      out += ch;
    } else if (cp < 0x80) {
      out += '\\x' + hex(cp, 2);
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate: Go would hold invalid UTF-8 here, which it prints as the replacement escape.
      out += '\\ufffd';
    } else if (cp < 0x10000) {
      out += '\\u' + hex(cp, 4);
    } else {
      out += '\\U' + hex(cp, 8);
    }
  }
  return out + '"';
}

/** fmt's %q of a []string: ["a" "b"]. */
export function goQuoteList(list: readonly string[]): string {
  return '[' + list.map(goQuote).join(' ') + ']';
}
