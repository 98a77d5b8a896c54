import { describe, expect, it } from 'vitest';
import { goJsonError } from './gojson.js';

describe('goJsonError', () => {
  it('accepts well-formed values', () => {
    for (const ok of ['{}', ' {"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]} ', '[]', '0', '"s"']) expect(goJsonError(ok)).toBeUndefined();
  });

  it('names the fault as encoding/json does', () => {
    expect(goJsonError('')).toBe('unexpected EOF');
    expect(goJsonError('{"Image": "busybox",')).toBe('unexpected EOF');
    expect(goJsonError('xyz')).toBe("invalid character 'x' looking for beginning of value");
    expect(goJsonError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonError('{"a": 1 "b"}')).toBe(`invalid character '"' after object key:value pair`);
    expect(goJsonError('{a: 1}')).toBe("invalid character 'a' looking for beginning of object key string");
    expect(goJsonError('[1 2]')).toBe("invalid character '2' after array element");
    expect(goJsonError('[1,]')).toBe("invalid character ']' looking for beginning of value");
    expect(goJsonError('tru ')).toBe("invalid character ' ' in literal true (expecting 'e')");
    expect(goJsonError('"a\\x"')).toBe("invalid character 'x' in string escape code");
    expect(goJsonError('"a\nb"')).toBe("invalid character '\\n' in string literal");
    expect(goJsonError('-x')).toBe("invalid character 'x' in numeric literal");
    expect(goJsonError("{'a': 1}")).toBe("invalid character '\\'' looking for beginning of object key string");
  });
});
