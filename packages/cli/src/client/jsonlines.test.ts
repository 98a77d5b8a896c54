import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonLines } from './jsonlines.js';

describe('jsonLines', () => {
  it('yields each object as its line completes, across chunk and character boundaries', async () => {
    const src = new PassThrough();
    const it = jsonLines(src);
    const euro = Buffer.from('{"status":"€"}\r\n');
    src.write('{"a":1}\n{"b"');
    expect((await it.next()).value).toEqual({ a: 1 });
    src.write(':2}\n\n');
    expect((await it.next()).value).toEqual({ b: 2 });
    src.write(euro.subarray(0, 12));
    src.end(euro.subarray(12));
    expect((await it.next()).value).toEqual({ status: '€' });
    expect((await it.next()).done).toBe(true);
  });
});
