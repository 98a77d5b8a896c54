/**
 * The Go value model for plain JS data.
 *
 * - undefined is Go's invalid reflect.Value (a missing map key): it prints `<no value>`.
 * - null is a nil interface{} (JSON null).
 * - booleans are bool; strings are string; bigints and integral numbers are int;
 *   other numbers are float64.
 * - arrays are []interface {}; plain objects are map[string]interface {} (keys sorted
 *   when printed or ranged over); objects marked with goStruct() are structs whose
 *   fields keep insertion order.
 * - functions are func values, usable with `call`.
 */

const structTag: unique symbol = Symbol('go-template.struct');

type Tagged = { [structTag]?: string };

/** Marks a plain object as a Go struct of the given type name (printed `{a b}`). */
export function goStruct<T extends object>(obj: T, typeName = 'struct'): T {
  Object.defineProperty(obj, structTag, { value: typeName, enumerable: false });
  return obj;
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'struct' | 'func';

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'invalid';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'slice';
      return (v as Tagged)[structTag] !== undefined ? 'struct' : 'map';
    default:
      return 'invalid';
  }
}

/** Go's name for the dynamic type of a value, as reflect.Type.String() prints it. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid':
      return '<nil>';
    case 'nil':
      return 'interface {}';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'struct':
      return (v as Tagged)[structTag] ?? 'struct';
    case 'func':
      return 'func(...interface {}) interface {}';
  }
}

export type GoMap = Record<string, unknown>;

/** Map keys in fmtsort order (Go sorts string keys bytewise). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** Go's string ordering: bytewise on UTF-8, which is code point order. */
export function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Entries of a map (sorted keys) or struct (field order). */
export function entries(v: GoMap, kind: 'map' | 'struct'): [string, unknown][] {
  const keys = kind === 'map' ? sortedKeys(v) : Object.keys(v);
  return keys.map((k) => [k, v[k]]);
}

/** Go's truth: false, 0, nil, and empty string/slice/map are false; structs are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return Number(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return Object.keys(v as GoMap).length > 0;
    case 'struct':
    case 'func':
      return true;
  }
}

/** Length in Go's units: bytes for strings, elements for slices and maps. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
