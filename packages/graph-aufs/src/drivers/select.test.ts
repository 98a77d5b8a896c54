import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AufsDriver } from './aufs.js';
import { backingFs, kernelFilesystems } from './mounts.js';
import { selectDriver } from './select.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-select-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('prefers an explicit choice, then the driver used before, then the best available', () => {
  expect(selectDriver(root, 'vfs').name).toBe('vfs');
  expect(selectDriver(root).name).toBe('vfs'); // vfs/dir exists now
  rmSync(join(root, 'vfs'), { recursive: true });
  expect(selectDriver(root).name).toBe(kernelFilesystems().includes('overlay') ? 'overlay2' : 'vfs');
  mkdirSync(join(root, 'vfs', 'dir'), { recursive: true });
  expect(() => selectDriver(root)).toThrow(`${root} contains several valid graphdrivers: overlay2, vfs; Please cleanup or explicitly choose storage driver (-s <DRIVER>)`);
  expect(() => selectDriver(root, 'zfs')).toThrow('graphdriver: driver not supported: zfs');
});

it("keeps Docker 1.7's aufs layout and reports its status lines", () => {
  const aufs = new AufsDriver(join(root, 'aufs'), undefined, false);
  aufs.create('base', null);
  aufs.create('mid', 'base');
  aufs.create('top', 'mid');
  expect(readFileSync(join(root, 'aufs/layers/top'), 'utf8')).toBe('mid\nbase\n');
  expect(readFileSync(join(root, 'aufs/layers/base'), 'utf8')).toBe('');
  writeFileSync(join(root, 'aufs/diff/base/f'), 'x');
  expect(aufs.get('base')).toBe(join(root, 'aufs/diff/base')); // no parents: not mounted
  expect(aufs.status()).toEqual([
    ['Root Dir', join(root, 'aufs')],
    ['Backing Filesystem', backingFs(root)],
    ['Dirs', '3'],
    ['Dirperm1 Supported', 'false'],
  ]);
  aufs.remove('top');
  expect(aufs.ids().sort()).toEqual(['base', 'mid']);
});
