import { describe, expect, it } from 'vitest';
import { StdStream, stdcopyFrame, stdcopyWriter } from './stdcopy.js';
import { sink } from './test-support/index.js';

describe('stdcopy', () => {
  it('frames a payload with type, three zeros and a big-endian length', () => {
    const frame = stdcopyFrame(StdStream.stderr, Buffer.from('hello'));
    expect([...frame.subarray(0, 8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 5]);
    expect(frame.subarray(8).toString()).toBe('hello');
    const big = stdcopyFrame(StdStream.stdout, Buffer.alloc(0x01020304 & 0xffff));
    expect(big.readUInt32BE(4)).toBe(0x0304);
  });

  it('frames each write onto the shared output without ending it', async () => {
    const out = sink();
    const stdout = stdcopyWriter(out.stream, StdStream.stdout);
    const stderr = stdcopyWriter(out.stream, StdStream.stderr);
    await new Promise<void>((r) => stdout.write('ab', () => r()));
    await new Promise<void>((r) => stderr.write('c', () => r()));
    await new Promise<void>((r) => stdout.end(() => r()));
    expect(out.stream.writableEnded).toBe(false);
    expect(out.bytes()).toEqual(
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 2, 0x61, 0x62, 2, 0, 0, 0, 0, 0, 0, 1, 0x63]),
    );
  });
});
