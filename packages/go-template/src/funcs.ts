/** Template function signatures and Go's builtin functions (and, or are special-cased by the executor). */
import { FuncError } from './errors.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { isPrint } from './quote.js';
import { byteLength, compareStrings, entries, isTrue, kindOf, typeName, type GoMap, type Kind } from './value.js';

/**
 * A parameter's Go type. 'any' is interface{} (a missing value arrives as null); 'value' is
 * reflect.Value, as Go's builtins take (a missing value arrives as undefined); the others make
 * the executor check and report arguments as Go does when converting to a typed parameter.
 */
export type ParamType = 'any' | 'value' | 'string' | 'int' | 'bool' | 'float64' | '[]string';

/** A template function with a declared Go signature. */
export interface FuncSpec {
  fn: (...args: never[]) => unknown;
  params: ParamType[];
  /** The element type of a trailing variadic parameter. */
  variadic?: ParamType;
}

/**
 * A function map entry: a plain JS function (fn.length interface{} parameters) or a FuncSpec.
 * A function reports failure by throwing; the executor prints `error calling <name>: <message>`.
 */
export type TemplateFunction = ((...args: never[]) => unknown) | FuncSpec;
export type FuncMap = Record<string, TemplateFunction>;

export function spec(params: ParamType[], fn: (...args: never[]) => unknown, variadic?: ParamType): FuncSpec {
  return variadic === undefined ? { fn, params } : { fn, params, variadic };
}

export function toSpec(f: TemplateFunction): FuncSpec {
  return typeof f === 'function' ? { fn: f, params: Array<ParamType>(f.length).fill('any') } : f;
}

/** The value of an argument that Go reflects on but that has no value: a missing map entry. */
function requireValid(v: unknown, what: string): void {
  if (v === undefined) throw new FuncError(`reflect: call of reflect.Value.${what} on zero Value`);
}

function length(item: unknown): number {
  requireValid(item, 'Type');
  switch (kindOf(item)) {
    case 'nil':
      throw new FuncError('len of nil pointer');
    case 'string':
      return byteLength(item as string);
    case 'slice':
      return (item as unknown[]).length;
    case 'map':
      return Object.keys(item as GoMap).length;
    default:
      throw new FuncError(`len of type ${typeName(item)}`);
  }
}

function indexArg(index: unknown, cap: number): number {
  const kind = kindOf(index);
  if (kind === 'invalid' || kind === 'nil') throw new FuncError('cannot index slice/array with nil');
  if (kind !== 'int') throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  const x = Number(index);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  let cur: unknown = item;
  for (const ix of indexes) {
    if (cur === null) throw new FuncError('index of nil pointer');
    const kind = kindOf(cur);
    if (kind === 'slice' || kind === 'string') {
      const bytes = kind === 'string' ? Buffer.from(cur as string, 'utf8') : null;
      const len = bytes ? bytes.length : (cur as unknown[]).length;
      const x = indexArg(ix, len);
      // indexArg admits x == len (Go checks against the capacity); reflect then panics.
      if (x >= len) throw new FuncError(`reflect: ${kind === 'string' ? 'string' : 'slice'} index out of range`);
      cur = bytes ? bytes[x] : (cur as unknown[])[x];
    } else if (kind === 'map') {
      if (kindOf(ix) !== 'string') {
        throw new FuncError(ix === null || ix === undefined ? 'value is nil; should be of type string' : `value has type ${typeName(ix)}; should be string`);
      }
      const m = cur as GoMap;
      cur = Object.hasOwn(m, ix as string) ? m[ix as string] : null;
    } else {
      throw new FuncError(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  let len: number;
  if (kind === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = byteLength(item as string);
  } else if (kind === 'slice') {
    len = (item as unknown[]).length;
  } else {
    throw new FuncError(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [i, j, k] = idx as [number, number, number];
  if (i > j) throw new FuncError(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) throw new FuncError(`invalid slice index: ${j} > ${k}`);
  if (kind === 'string') return Buffer.from(item as string, 'utf8').subarray(i, j).toString('utf8');
  return (item as unknown[]).slice(i, j);
}

type BasicKind = 'bool' | 'number' | 'string' | 'invalid';

/**
 * Go's comparison kinds, except that int and float64 are one kind: JSON data cannot tell 3.0
 * from 3, so `lt .Cpu 3.0` must not depend on it (Go would report incompatible types).
 */
function basicKind(v: unknown): BasicKind {
  const k: Kind = kindOf(v);
  if (k === 'int' || k === 'float') return 'number';
  return k === 'bool' || k === 'string' ? k : 'invalid';
}

function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (Number.isInteger(a) || typeof a === 'bigint') {
      if (Number.isInteger(b) || typeof b === 'bigint') {
        const x = BigInt(a as number);
        const y = BigInt(b as number);
        return x < y ? -1 : x > y ? 1 : 0;
      }
    }
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of arg2) {
    const k2 = basicKind(arg);
    let truth: boolean;
    if (k1 !== k2) {
      if (arg1 !== undefined && arg !== undefined && arg1 !== null && arg !== null) throw new FuncError(errBadComparison);
      truth = false;
    } else if (k1 === 'invalid') {
      const nil1 = arg1 === null || arg1 === undefined;
      const nil2 = arg === null || arg === undefined;
      if (nil1 || nil2) truth = nil1 === nil2;
      else if (kindOf(arg) === 'func' || kindOf(arg) === 'slice' || kindOf(arg) === 'map' || kindOf(arg1) !== kindOf(arg)) {
        throw new FuncError(`non-comparable type ${sprintf('%s', [arg])}: ${typeName(arg)}`);
      } else {
        truth = structEqual(arg1 as GoMap, arg as GoMap);
      }
    } else {
      truth = k1 === 'number' ? compareNumbers(arg1, arg) === 0 : arg1 === arg;
    }
    if (truth) return true;
  }
  return false;
}

/** Go's == on structs: equal when every field is ==. */
function structEqual(a: GoMap, b: GoMap): boolean {
  if (typeName(a) !== typeName(b)) throw new FuncError(errBadComparison);
  const ea = entries(a, 'struct');
  const eb = entries(b, 'struct');
  return ea.length === eb.length && ea.every(([k, v], i) => eb[i]?.[0] === k && eq(v, eb[i]?.[1]));
}

function lt(arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1);
  const k2 = basicKind(arg2);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FuncError(errBadComparisonType);
  if (k1 !== k2) throw new FuncError(errBadComparison);
  switch (k1) {
    case 'bool':
      throw new FuncError(errBadComparisonType);
    case 'string':
      return compareStrings(arg1 as string, arg2 as string) < 0;
    default:
      return compareNumbers(arg1, arg2) < 0;
  }
}

const le = (a: unknown, b: unknown): boolean => lt(a, b) || eq(a, b);

/** evalArgs: a lone string argument as is, otherwise fmt.Sprint of the arguments, nil printing as <no value>. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

const htmlEscapes: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };

export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => htmlEscapes[c] ?? c);
}

const jsEscapes: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

export function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    const e = jsEscapes[c];
    if (e !== undefined) out += e;
    else if (cp < 0x20 || (cp >= 0x80 && !isPrint(cp))) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (fn === null || fn === undefined) throw new FuncError('call of nil');
  if (typeof fn !== 'function') throw new FuncError(`non-function of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

/** Go's builtins. `and` and `or` are listed for the parser; the executor evaluates them lazily. */
export const builtins: FuncMap = {
  and: spec(['value'], () => undefined, 'value'),
  or: spec(['value'], () => undefined, 'value'),
  not: spec(['value'], (v: unknown) => !isTrue(v)),
  call: spec(['value'], call, 'value'),
  html: spec([], (...a: unknown[]) => htmlEscape(evalArgs(a)), 'any'),
  js: spec([], (...a: unknown[]) => jsEscape(evalArgs(a)), 'any'),
  urlquery: spec([], (...a: unknown[]) => queryEscape(evalArgs(a)), 'any'),
  index: spec(['value'], index, 'value'),
  slice: spec(['value'], slice, 'value'),
  len: spec(['value'], length),
  print: spec([], (...a: unknown[]) => sprint(a), 'any'),
  printf: spec(['string'], (f: string, ...a: unknown[]) => sprintf(f, a), 'any'),
  println: spec([], (...a: unknown[]) => sprintln(a), 'any'),
  eq: spec(['value'], eq, 'value'),
  ne: spec(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
  lt: spec(['value', 'value'], lt),
  le: spec(['value', 'value'], le),
  gt: spec(['value', 'value'], (a: unknown, b: unknown) => !le(a, b)),
  ge: spec(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
};
