// The device filter's instructions: which rules become which checks (the kernel runs them in the
// integration tests, cgroups-v2.test.ts).
import { describe, expect, it } from 'vitest';
import type { DeviceRule } from '../spec.js';
import { deviceFilterProgram } from './device-filter.js';

/** [opcode, dst, src, off, imm] of each instruction. */
function decode(buf: Buffer): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < buf.length; i += 8) out.push([buf.readUInt8(i), buf.readUInt8(i + 1) & 0xf, buf.readUInt8(i + 1) >> 4, buf.readInt16LE(i + 2), buf.readInt32LE(i + 4)]);
  return out;
}

const denyAll: DeviceRule = { allow: false, type: 'a', major: '*', minor: '*', access: 'rwm' };

describe('deviceFilterProgram', () => {
  it('needs no program when everything is allowed', () => {
    expect(deviceFilterProgram([{ ...denyAll, allow: true }])).toBeUndefined();
    expect(deviceFilterProgram([])).toBeUndefined();
  });

  it('checks type, access, major and minor of each exception, latest first, then denies', () => {
    const prog = deviceFilterProgram([denyAll, { allow: true, type: 'c', major: '*', minor: '*', access: 'm' }, { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }]);
    expect(decode(prog as Buffer)).toEqual([
      // r2 = type, r3 = access, r4 = major, r5 = minor
      [0x61, 2, 1, 0, 0], [0x54, 2, 0, 0, 0xffff], [0x61, 3, 1, 0, 0], [0x74, 3, 0, 0, 16], [0x61, 4, 1, 4, 0], [0x61, 5, 1, 8, 0],
      // c 1:3 rwm: char, major 1, minor 3 → allow
      [0x55, 2, 0, 4, 2], [0x55, 4, 0, 3, 1], [0x55, 5, 0, 2, 3], [0xb7, 0, 0, 0, 1], [0x95, 0, 0, 0, 0],
      // c *:* m: char, only mknod asked → allow
      [0x55, 2, 0, 5, 2], [0xbc, 1, 3, 0, 0], [0x54, 1, 0, 0, 1], [0x5d, 1, 3, 2, 0], [0xb7, 0, 0, 0, 1], [0x95, 0, 0, 0, 0],
      // anything else → deny
      [0xb7, 0, 0, 0, 0], [0x95, 0, 0, 0, 0],
    ]);
  });

  it('starts over at each "a" rule', () => {
    const prog = deviceFilterProgram([{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, denyAll]);
    expect(decode(prog as Buffer).slice(6)).toEqual([[0xb7, 0, 0, 0, 0], [0x95, 0, 0, 0, 0]]);
  });
});
