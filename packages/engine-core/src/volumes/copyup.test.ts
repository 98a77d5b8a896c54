import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyImageContent, resolveInRoot } from './copyup.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'berth-copyup-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('copy-up', () => {
  it('resolves symlinks inside the rootfs, never out of it', () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'real/sub'), { recursive: true });
    symlinkSync('/real', join(root, 'abs'));
    symlinkSync('../../../../..', join(root, 'real/up'));
    expect(resolveInRoot(root, '/abs/sub')).toBe(join(root, 'real/sub'));
    expect(resolveInRoot(root, '/real/up/real')).toBe(join(root, 'real'));
    expect(resolveInRoot(root, '/../../etc')).toBeUndefined();
    expect(resolveInRoot(root, '/missing')).toBeUndefined();
  });

  it("copies the image's directory into an empty volume only", () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'data/d'), { recursive: true });
    writeFileSync(join(root, 'data/d/f'), 'image');
    const vol = join(dir, 'vol');
    mkdirSync(vol);
    expect(copyImageContent(root, '/data', vol)).toBe(true);
    expect(readFileSync(join(vol, 'd/f'), 'utf8')).toBe('image');
    writeFileSync(join(root, 'data/d/f'), 'changed');
    expect(copyImageContent(root, '/data', vol)).toBe(false);
    expect(readFileSync(join(vol, 'd/f'), 'utf8')).toBe('image');
    expect(copyImageContent(root, '/nothing', vol)).toBe(false);
  });
});
