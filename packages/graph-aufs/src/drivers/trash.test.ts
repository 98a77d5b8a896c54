import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Trash } from './trash.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-trash-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function layerOf(files: number): string {
  const dir = join(root, 'layer');
  mkdirSync(join(dir, 'diff', 'sub'), { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(dir, 'diff', 'sub', `f${i}`), String(i));
  return dir;
}

it('takes a directory away at once and deletes it in the background', async () => {
  const trash = new Trash(join(root, 'trash'));
  const dir = layerOf(500);
  trash.discard(dir);
  expect(existsSync(dir)).toBe(false);
  await trash.drained();
  expect(readdirSync(join(root, 'trash'))).toEqual([]);
  trash.discard(dir); // already gone: nothing to do
  await trash.drained();
});

it('deletes at the next open what a stopped daemon left in it', async () => {
  mkdirSync(join(root, 'trash', 'left-behind', 'diff'), { recursive: true });
  writeFileSync(join(root, 'trash', 'left-behind', 'diff', 'f'), 'x');
  const trash = new Trash(join(root, 'trash'));
  await trash.drained();
  expect(readdirSync(join(root, 'trash'))).toEqual([]);
});
