/** Go's fmt.Sprint, Sprintln and Sprintf over the value model in value.ts. */
import { formatFloat } from './float.js';
import { canBackquote, isPrint, quote, quoteRune } from './quote.js';
import { entries, kindOf, typeName, type GoMap } from './value.js';

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid?: number;
  prec?: number;
}

function noFlags(): Flags {
  return { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Pads to the width with spaces (or zeros when the 0 flag is set), left or right. */
function pad(s: string, f: Flags): string {
  if (f.wid === undefined) return s;
  const n = f.wid - runeCount(s);
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero ? '0' : ' ').repeat(n) + s;
}

function toBigInt(v: unknown): bigint {
  return typeof v === 'bigint' ? v : BigInt(v as number);
}

function fmtInteger(v: bigint, verb: string, f: Flags): string {
  const base = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10;
  const negative = v < 0n;
  let digits = (negative ? -v : v).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = 0;
  if (f.prec !== undefined) {
    prec = f.prec;
    // Precision 0 with value 0 prints nothing but padding.
    if (prec === 0 && v === 0n) return pad('', { ...f, zero: false });
  } else if (f.zero && f.wid !== undefined) {
    prec = f.wid;
    if (negative || f.plus || f.space) prec--;
  }
  digits = digits.padStart(prec, '0');
  if (f.sharp) {
    if (base === 2) digits = '0b' + digits;
    else if (base === 8 && !digits.startsWith('0')) digits = '0' + digits;
    else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  const sign = negative ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + digits, { ...f, zero: false });
}

function fmtFloat(v: number, verb: string, f: Flags): string {
  const fmt = verb === 'v' ? 'g' : verb === 'F' ? 'f' : (verb as 'e' | 'E' | 'f' | 'g' | 'G');
  const defaultPrec = verb === 'e' || verb === 'E' || verb === 'f' || verb === 'F' ? 6 : -1;
  let num = formatFloat(v, fmt, f.prec ?? defaultPrec);
  if (!num.startsWith('-') && !num.startsWith('+')) num = '+' + num;
  if (f.space && num.startsWith('+') && !f.plus) num = ' ' + num.slice(1);
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(num, { ...f, zero: false });
  }
  if (f.plus || !num.startsWith('+')) {
    // Zero padding goes between the sign and the digits.
    if (f.zero && f.wid !== undefined && f.wid > num.length) {
      return (num[0] ?? '') + '0'.repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

function truncateRunes(s: string, f: Flags): string {
  if (f.prec === undefined) return s;
  return [...s].slice(0, f.prec).join('');
}

function fmtHexBytes(bytes: Buffer, verb: string, f: Flags): string {
  const n = f.prec !== undefined ? Math.min(f.prec, bytes.length) : bytes.length;
  let out = '';
  for (let i = 0; i < n; i++) {
    if (f.space && i > 0) out += ' ';
    if (f.sharp && (f.space || i === 0)) out += verb === 'X' ? '0X' : '0x';
    const h = (bytes[i] ?? 0).toString(16).padStart(2, '0');
    out += verb === 'X' ? h.toUpperCase() : h;
  }
  return pad(out, f);
}

function fmtString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
      if (f.sharpV) return pad(quote(s), f);
      return pad(truncateRunes(s, f), f);
    case 's':
      return pad(truncateRunes(s, f), f);
    case 'q': {
      const t = truncateRunes(s, f);
      if (f.sharp && canBackquote(t)) return pad('`' + t + '`', f);
      return pad(quote(t, f.plus), f);
    }
    case 'x':
    case 'X':
      return fmtHexBytes(Buffer.from(s, 'utf8'), verb, f);
    default:
      return badVerb(s, verb);
  }
}

function fmtInt(v: unknown, verb: string, f: Flags): string {
  const n = toBigInt(v);
  switch (verb) {
    case 'v':
    case 'd':
    case 'b':
    case 'o':
    case 'O':
    case 'x':
    case 'X':
      return fmtInteger(n, verb === 'v' ? 'd' : verb, f);
    case 'c':
      return pad(String.fromCodePoint(validRune(n)), f);
    case 'q':
      return pad(quoteRune(validRune(n), f.plus), f);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      // JSON gives no way to tell 25.0 from 25: an integral number also formats as a float.
      return fmtFloat(Number(n), verb, f);
    case 'U': {
      let s = 'U+' + n.toString(16).toUpperCase().padStart(f.prec ?? 4, '0');
      if (f.sharp && n <= 0x10ffffn && isPrint(Number(n))) s += " '" + String.fromCodePoint(Number(n)) + "'";
      return pad(s, { ...f, zero: false });
    }
    default:
      return badVerb(v, verb);
  }
}

function validRune(n: bigint): number {
  const cp = Number(n);
  return n < 0n || n > 0x10ffffn || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp;
}

/** `%!verb(type=value)`, Go's report of a verb that does not fit the operand. */
function badVerb(v: unknown, verb: string): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v, 'v', noFlags(), 0)})`;
}

function formatValue(v: unknown, verb: string, f: Flags, depth: number): string {
  if (verb === 'T') return pad(typeName(v), f);
  const kind = kindOf(v);
  switch (kind) {
    case 'invalid':
    case 'nil':
      // A nil operand at depth 0 only fits %v; inside a composite it prints <nil> as is.
      if (depth === 0 && verb !== 'v') return badVerb(v, verb);
      return pad('<nil>', f);
    case 'bool':
      if (verb === 't' || verb === 'v') return pad(String(v), f);
      return badVerb(v, verb);
    case 'int':
      return fmtInt(v, verb, f);
    case 'float':
      if ('vgGfFeE'.includes(verb)) return fmtFloat(v as number, verb, f);
      return badVerb(v, verb);
    case 'string':
      return fmtString(v as string, verb, f);
    case 'slice': {
      const items = (v as unknown[]).map((e) => formatValue(e, verb, f, depth + 1));
      return '[' + items.join(' ') + ']';
    }
    case 'map': {
      const items = entries(v as GoMap, 'map').map(
        ([k, e]) => formatValue(k, verb, f, depth + 1) + ':' + formatValue(e, verb, f, depth + 1),
      );
      return 'map[' + items.join(' ') + ']';
    }
    case 'struct': {
      const items = entries(v as GoMap, 'struct').map(
        ([k, e]) => (f.plusV || f.sharpV ? k + ':' : '') + formatValue(e, verb, f, depth + 1),
      );
      return '{' + items.join(' ') + '}';
    }
    case 'func':
      // Go prints a func value's code address; JS has none, so this is a fixed stand-in.
      return verb === 'v' || verb === 'p' ? pad('0x0', f) : badVerb(v, verb);
  }
}

/** fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(a, 'v', noFlags(), 0);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: operands formatted with %v, always space-separated, newline-terminated. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatValue(a, 'v', noFlags(), 0)).join(' ') + '\n';
}

/** The %v rendering of one value, as a template action prints it. */
export function formatV(v: unknown): string {
  return formatValue(v, 'v', noFlags(), 0);
}

function parseNum(format: string, i: number): [number | undefined, number] {
  let j = i;
  while (j < format.length && format[j] !== undefined && (format[j] ?? '') >= '0' && (format[j] ?? '') <= '9') j++;
  if (j === i) return [undefined, i];
  return [Number(format.slice(i, j)), j];
}

function intFromArg(args: readonly unknown[], argNum: number): [number | undefined, number] {
  if (argNum >= args.length) return [undefined, argNum];
  const a = args[argNum];
  const n = kindOf(a) === 'int' ? Number(a) : undefined;
  if (n === undefined || n > 1e6 || n < -1e6) return [undefined, argNum + 1];
  return [n, argNum + 1];
}

/** fmt.Sprintf, with Go's %!verb(MISSING), %!(EXTRA ...), %!(NOVERB) and %!(BADWIDTH) reports. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  // With explicit [n] indexes Go stops checking for unused arguments.
  let reordered = false;
  let goodArgNum = true;
  const argNumber = (): boolean => {
    if (format[i] !== '[') return false;
    reordered = true;
    const close = format.indexOf(']', i);
    if (close < 0) {
      i += 1;
      goodArgNum = false;
      return false;
    }
    const [n, end] = parseNum(format, i + 1);
    i = close + 1;
    if (n === undefined || end !== close || n < 1 || n > args.length) {
      goodArgNum = false;
      return n !== undefined && end === close;
    }
    argNum = n - 1;
    return true;
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f = noFlags();
    goodArgNum = true;
    flags: for (; i < format.length; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    let afterIndex = argNumber();
    if (format[i] === '*') {
      i++;
      [f.wid, argNum] = intFromArg(args, argNum);
      afterIndex = false;
      if (f.wid === undefined) out += '%!(BADWIDTH)';
      else if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
    } else {
      [f.wid, i] = parseNum(format, i);
    }
    if (i + 1 < format.length && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false; // "%[3].2d"
      afterIndex = argNumber();
      if (format[i] === '*') {
        i++;
        [f.prec, argNum] = intFromArg(args, argNum);
        if (f.prec !== undefined && f.prec < 0) f.prec = undefined;
        if (f.prec === undefined) out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        [f.prec, i] = parseNum(format, i);
        f.prec ??= 0;
      }
    }
    if (!afterIndex) afterIndex = argNumber();
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === 'v') {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    out += formatValue(args[argNum], verb, f, 0);
    argNum++;
  }
  if (!reordered && argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a, 'v', noFlags(), 0)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
