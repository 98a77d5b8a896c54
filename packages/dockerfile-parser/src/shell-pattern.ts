// Shell patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`: `*` any text, `?` one character,
// `\*` `\?` `\\` literal; no bracket expressions (as in BuildKit).

/** Go's regexp `.` matches anything but \n (JS's also stops at \r, U+2028, U+2029). */
const ANY = '[^\\n]';

export function shellPatternToRegExp(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      out += greedy ? `${ANY}*` : `${ANY}*?`;
    } else if (ch === '?') {
      out += ANY;
    } else if (ch === '\\') {
      const escaped = chars[i + 1];
      // `\}` and `\/` only protect the ${} syntax; the backslash is not part of the pattern.
      if (escaped === '}' || escaped === '/') continue;
      if (escaped !== '*' && escaped !== '?' && escaped !== '\\') {
        throw new Error(`invalid pattern (${pattern}) in substitution: invalid escape '\\${escaped ?? '\ufffd'}'`);
      }
      out += '\\' + escaped;
      i++;
    } else if ('[]{}.+()|^$'.includes(ch)) {
      out += '\\' + ch;
    } else {
      out += ch;
    }
  }
  return new RegExp(out, global ? 'gu' : 'u');
}

export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const match = shellPatternToRegExp(pattern, greedy, true).exec(value);
  return match ? value.slice(match[0].length) : value;
}

/** Reverses a pattern but keeps each escape before the character it escapes: a\*c → c\*a. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    const ch = chars[i]!;
    const at = last - i;
    if (ch === '\\' && i !== last) {
      out[at - 1] = ch;
      out[at] = chars[i + 1]!;
      i += 2;
    } else {
      out[at] = ch;
      i++;
    }
  }
  return out.join('');
}

const reverseString = (s: string): string => Array.from(s).reverse().join('');

/** The shortest (or longest) rightmost match, found as a leftmost match on the reversed text. */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/**
 * Go's Regexp.ReplaceAllString template: `$$` is a dollar, `$0`/`${0}` the match, any other
 * `$name`/`${name}` (the pattern has no groups) nothing; a `$` starting no valid reference stays.
 */
export function expandGoTemplate(template: string, match: string): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, _ref: string, braced?: string, bare?: string) => {
    if (all === '$$') return '$';
    const name = braced ?? bare ?? '';
    return name === '0' ? match : '';
  });
}
