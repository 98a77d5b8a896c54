import { constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MNT, MS, getXattr, listXattrs, mknod, mount, setXattr, unmount } from './mount.js';

const mountedAt = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);

let dir = '';
afterEach(() => {
  if (dir && mountedAt(dir)) unmount(dir, MNT.DETACH);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('mount calls', () => {
  it('mounts and unmounts a tmpfs', () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-mount-'));
    mount(dir, { source: 'tmpfs', fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV, data: 'size=1m,mode=755' });
    expect(mountedAt(dir)).toBe(true);
    writeFileSync(join(dir, 'f'), 'x');
    unmount(dir);
    expect(mountedAt(dir)).toBe(false);
  });

  it('reports errno like Node', () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-mount-'));
    expect(() => unmount(dir)).toThrow(expect.objectContaining({ code: 'EINVAL', syscall: 'umount2' }));
  });

  it('makes a whiteout device and sets xattrs', () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-mount-'));
    mount(dir, { source: 'tmpfs', fstype: 'tmpfs' });
    const wh = join(dir, 'gone');
    mknod(wh, constants.S_IFCHR | 0o000, 0, 0);
    expect(statSync(wh).isCharacterDevice()).toBe(true);
    expect(statSync(wh).rdev).toBe(0);
    setXattr(dir, 'trusted.overlay.opaque', 'y');
    expect(getXattr(dir, 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(listXattrs(dir)).toContain('trusted.overlay.opaque');
    expect(getXattr(dir, 'trusted.absent')).toBeNull();
  });
});
