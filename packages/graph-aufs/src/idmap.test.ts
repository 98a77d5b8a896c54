import { describe, expect, it } from 'vitest';
import { pairToContainer, pairToHost, rootPair, toContainer, toHost } from './idmap.js';

// two ranges, as createIDMap makes them from two subuid lines: container IDs are contiguous
const ranges = [
  { containerId: 0, hostId: 100000, size: 1000 },
  { containerId: 1000, hostId: 300000, size: 65536 },
];

describe('id shifting', () => {
  it('maps container IDs into the ranges and back', () => {
    expect(toHost(0, ranges)).toBe(100000);
    expect(toHost(999, ranges)).toBe(100999);
    expect(toHost(1000, ranges)).toBe(300000);
    expect(toHost(65534, ranges)).toBe(364534);
    expect(toContainer(100000, ranges)).toBe(0);
    expect(toContainer(364534, ranges)).toBe(65534);
    for (const id of [0, 1, 999, 1000, 5000, 66535]) expect(toContainer(toHost(id, ranges), ranges)).toBe(id);
  });

  it("fails with Docker's messages outside the ranges", () => {
    expect(() => toHost(66536, ranges)).toThrow('Container ID 66536 cannot be mapped to a host ID');
    expect(() => toContainer(0, ranges)).toThrow('Host ID 0 cannot be mapped to a container ID');
    expect(() => toContainer(101000, ranges)).toThrow('Host ID 101000 cannot be mapped to a container ID');
  });

  it('leaves IDs alone without ranges or mapping', () => {
    expect(toHost(42, [])).toBe(42);
    expect(toContainer(42, [])).toBe(42);
    expect(pairToHost({ uid: 1, gid: 2 }, undefined)).toEqual({ uid: 1, gid: 2 });
    expect(rootPair(undefined)).toEqual({ uid: 0, gid: 0 });
  });

  it('shifts uid and gid by their own ranges', () => {
    const m = { uids: ranges, gids: [{ containerId: 0, hostId: 200000, size: 65536 }] };
    expect(rootPair(m)).toEqual({ uid: 100000, gid: 200000 });
    expect(pairToHost({ uid: 65534, gid: 65534 }, m)).toEqual({ uid: 364534, gid: 265534 });
    expect(pairToContainer({ uid: 364534, gid: 265534 }, m)).toEqual({ uid: 65534, gid: 65534 });
  });
});
