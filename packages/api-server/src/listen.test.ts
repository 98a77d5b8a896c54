import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupId, prepareUnixSocketPath } from './listen.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-listen-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('groupId', () => {
  it('finds a group in a group file, and nothing when it is absent', () => {
    const file = join(dir, 'group');
    writeFileSync(file, 'root:x:0:\nberth:x:998:alice,bob\nbad:x::\n');
    expect(groupId('berth', file)).toBe(998);
    expect(groupId('docker', file)).toBeUndefined();
    expect(groupId('bad', file)).toBeUndefined();
    expect(groupId('berth', join(dir, 'missing'))).toBeUndefined();
  });
});

describe('prepareUnixSocketPath', () => {
  it('creates the directory and refuses to replace a file that is not a socket', async () => {
    await prepareUnixSocketPath(join(dir, 'a', 'b', 's.sock'));
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    await expect(prepareUnixSocketPath(file)).rejects.toThrow('the path exists and is not a socket');
  });
});
