/** Go text/template's lexer: splits template text into items (text, delimiters, action tokens). */
import { isPrint, quote } from './quote.js';

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  typ: ItemType;
  /** UTF-16 offset of the item in the input. */
  pos: number;
  val: string;
  line: number;
}

const keywords: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

const keywordTypes = new Set<ItemType>(Object.values(keywords));

/** How Go's item.String() renders a token inside error messages. */
export function itemString(i: Item): string {
  if (i.typ === 'EOF') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (keywordTypes.has(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  // Go prints long tokens with %.10q: the first ten runes, quoted.
  if (runes.length > 10) return quote(runes.slice(0, 10).join('')) + '...';
  return quote(i.val);
}


const leftDelim = '{{';
const rightDelim = '}}';
const leftComment = '/*';
const rightComment = '*/';
const trimMarkerLen = 2;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s[at] === '-' && isSpace(s[at + 1]);
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return isSpace(s[at]) && s[at + 1] === '-';
}

/** Lexes the whole input eagerly; the last item is EOF or an error. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (typ: ItemType): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) {
      pos++; // so that backup() after EOF is symmetric
      return undefined;
    }
    const cp = input.codePointAt(pos) ?? 0;
    const c = String.fromCodePoint(cp);
    pos += c.length;
    if (c === '\n') line++;
    return c;
  };
  const backup = (c: string | undefined): void => {
    pos -= c === undefined ? 1 : c.length;
    if (c === '\n') line--;
  };
  const peek = (): string | undefined => {
    const c = next();
    backup(c);
    return c;
  };
  const errorf = (msg: string): null => {
    items.push({ typ: 'error', pos: start, val: msg, line: startLine });
    return null;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input, pos) && input.startsWith(rightDelim, pos + trimMarkerLen)) return { delim: true, trim: true };
    if (input.startsWith(rightDelim, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const atTerminator = (): boolean => {
    const r = peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:()'.includes(r)) return true;
    return input.startsWith(rightDelim, pos);
  };
  const skipSpaceAfterTrim = (): void => {
    while (isSpace(input[pos])) {
      if (input[pos] === '\n') line++;
      pos++;
    }
  };

  type State = (() => State) | null;

  const lexText = (): State => {
    const x = input.indexOf(leftDelim, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) {
        line += countNewlines(input.slice(start, pos));
        emit('text');
      }
      emit('EOF');
      return null;
    }
    pos = x;
    let textEnd = x;
    if (hasLeftTrimMarker(input, x + leftDelim.length)) {
      while (textEnd > start && isSpace(input[textEnd - 1])) textEnd--;
    }
    line += countNewlines(input.slice(start, x));
    if (textEnd > start) {
      items.push({ typ: 'text', pos: start, val: input.slice(start, textEnd), line: startLine });
    }
    start = pos;
    startLine = line;
    return lexLeftDelim;
  };

  const lexLeftDelim = (): State => {
    pos += leftDelim.length;
    const trim = hasLeftTrimMarker(input, pos);
    const afterMarker = trim ? trimMarkerLen : 0;
    if (input.startsWith(leftComment, pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment;
    }
    emit('leftDelim');
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): State => {
    pos += leftComment.length;
    const x = input.indexOf(rightComment, pos);
    if (x < 0) return errorf('unclosed comment');
    line += countNewlines(input.slice(pos, x + rightComment.length));
    pos = x + rightComment.length;
    const { delim, trim } = atRightDelim();
    if (!delim) return errorf('comment ends before closing delimiter');
    items.push({ typ: 'comment', pos: start, val: input.slice(start, pos), line: startLine });
    if (trim) pos += trimMarkerLen;
    pos += rightDelim.length;
    if (trim) skipSpaceAfterTrim();
    ignore();
    return lexText;
  };

  const lexRightDelim = (): State => {
    const { trim } = atRightDelim();
    if (trim) {
      pos += trimMarkerLen;
      ignore();
    }
    pos += rightDelim.length;
    emit('rightDelim');
    if (trim) {
      skipSpaceAfterTrim();
      ignore();
    }
    return lexText;
  };

  const lexInsideAction = (): State => {
    const { delim } = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      return errorf('unclosed left paren');
    }
    const r = next();
    if (r === undefined) return errorf('unclosed action');
    if (isSpace(r)) {
      backup(r);
      return lexSpace;
    }
    switch (r) {
      case '=':
        emit('assign');
        return lexInsideAction;
      case ':':
        if (next() !== '=') return errorf('expected :=');
        emit('declare');
        return lexInsideAction;
      case '|':
        emit('pipe');
        return lexInsideAction;
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return lexVariable;
      case "'":
        return lexChar;
      case '(':
        emit('leftParen');
        parenDepth++;
        return lexInsideAction;
      case ')':
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) return errorf(`unexpected right paren U+0029 ')'`);
        return lexInsideAction;
    }
    if (r === '.') {
      const c = input[pos];
      if (pos < input.length && c !== undefined && (c < '0' || c > '9')) return lexField;
    }
    if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier;
    }
    const cp = r.codePointAt(0) ?? 0;
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
      emit('char');
      return lexInsideAction;
    }
    return errorf(`unrecognized character in action: ${formatU(cp)}`);
  };

  const lexSpace = (): State => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    // A space followed by "-}}" belongs to the trim-marked closing delimiter.
    if (hasRightTrimMarker(input, pos - 1) && input.startsWith(rightDelim, pos - 1 + trimMarkerLen)) {
      backup(input[pos - 1]);
      if (numSpaces === 1) return lexRightDelim;
    }
    emit('space');
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    for (;;) {
      const r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    const word = input.slice(start, pos);
    if (!atTerminator()) return errorf(`bad character ${formatU(input.codePointAt(pos) ?? 0)}`);
    const kw = keywords[word];
    if (kw !== undefined && kw !== 'dot') emit(kw);
    else if (word.startsWith('.')) emit('field');
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return lexInsideAction;
  };

  const lexFieldOrVariable = (typ: 'field' | 'variable'): State => {
    if (atTerminator()) {
      emit(typ === 'variable' ? 'variable' : 'dot');
      return lexInsideAction;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${formatU(r?.codePointAt(0) ?? 0)}`);
    emit(typ);
    return lexInsideAction;
  };
  const lexField = (): State => lexFieldOrVariable('field');
  const lexVariable = (): State => {
    if (atTerminator()) {
      emit('variable');
      return lexInsideAction;
    }
    return lexFieldOrVariable('variable');
  };

  const lexChar = (): State => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== undefined && r !== '\n') continue;
      }
      if (r === undefined || r === '\n') return errorf('unterminated character constant');
      if (r === "'") break;
    }
    emit('charConstant');
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const e = next();
        if (e !== undefined && e !== '\n') continue;
        return errorf('unterminated quoted string');
      }
      if (r === undefined || r === '\n') return errorf('unterminated quoted string');
      if (r === '"') break;
    }
    emit('string');
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    const x = input.indexOf('`', pos);
    if (x < 0) return errorf('unterminated raw quoted string');
    line += countNewlines(input.slice(pos, x));
    pos = x + 1;
    emit('rawString');
    return lexInsideAction;
  };

  const accept = (valid: string): boolean => {
    const r = next();
    if (r !== undefined && valid.includes(r)) return true;
    backup(r);
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const r = next();
      if (r === undefined || !valid.includes(r)) {
        backup(r);
        return;
      }
    }
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };
  const lexNumber = (): State => {
    if (!scanNumber()) return errorf(`bad number syntax: ${quote(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === '+' || sign === '-') {
      // A complex number: 1+2i.
      if (!scanNumber() || input[pos - 1] !== 'i') return errorf(`bad number syntax: ${quote(input.slice(start, pos))}`);
      emit('complex');
    } else emit('number');
    return lexInsideAction;
  };

  let state: State = lexText;
  while (state) state = state();
  return items;
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}

/** %#U: U+0023 '#'. */
export function formatU(cp: number): string {
  const u = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `${u} '${String.fromCodePoint(cp)}'` : u;
}
