import { describe, expect, it } from 'vitest';
import { DetachDetector, parseDetachKeys } from './detach.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe('DetachDetector', () => {
  it('detaches on ctrl-p ctrl-q and forwards what came before', () => {
    const d = new DetachDetector();
    expect(d.feed(Buffer.from('ls\x10\x11ignored'))).toEqual({ forward: Buffer.from('ls'), detached: true });
  });

  it('finds the sequence split across chunks', () => {
    const d = new DetachDetector();
    expect(d.feed(bytes(0x61, 0x10))).toEqual({ forward: bytes(0x61), detached: false });
    expect(d.feed(bytes(0x11))).toEqual({ forward: bytes(), detached: true });
  });

  it('sends held bytes on when the sequence is not completed', () => {
    const d = new DetachDetector();
    expect(d.feed(bytes(0x10))).toEqual({ forward: bytes(), detached: false });
    expect(d.feed(bytes(0x62))).toEqual({ forward: bytes(0x10, 0x62), detached: false });
    expect(d.feed(bytes(0x10, 0x10, 0x11))).toEqual({ forward: bytes(0x10), detached: true });
  });
});

describe('parseDetachKeys', () => {
  it("reads Docker's --detach-keys syntax", () => {
    expect(parseDetachKeys('ctrl-p,ctrl-q')).toEqual([0x10, 0x11]);
    expect(parseDetachKeys('a,ctrl-@,ctrl-[,ctrl-_')).toEqual([0x61, 0, 0x1b, 0x1f]);
    expect(() => parseDetachKeys('ctrl-1')).toThrow("Unknown character: 'ctrl-1'");
  });
});
