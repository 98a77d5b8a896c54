import { PassThrough } from 'node:stream';
import { sink } from '@berth/api-server/test-support';
import { describe, expect, it } from 'vitest';
import { StdcopyDecoder, demuxStream } from './stdcopy.js';

const frame = (stream: number, text: string): Buffer => {
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([h, Buffer.from(text)]);
};


describe('StdcopyDecoder', () => {
  it('splits frames cut at any byte', () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = new StdcopyDecoder();
      const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([[1, 'hello '], [2, 'oops'], [1, 'world']]);
      expect(d.partial).toBe(false);
    }
  });

  it('refuses an unknown stream type as Go does', () => {
    expect(() => new StdcopyDecoder().push(Buffer.from('HTTP/1.1 200 OK'))).toThrow('Unrecognized input header: 72');
  });
});

describe('demuxStream', () => {
  it('writes stdout frames to stdout and stderr frames to stderr', async () => {
    const src = new PassThrough();
    const out = sink();
    const err = sink();
    const done = demuxStream(src, out.stream, err.stream);
    src.end(Buffer.concat([frame(1, 'a'), frame(2, 'b'), frame(1, 'c')]));
    await done;
    expect(out.text()).toBe('ac');
    expect(err.text()).toBe('b');
  });
});
