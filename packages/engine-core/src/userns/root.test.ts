import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chownToRemappedRoot, prepareRemappedDirs, remappedDaemonRoot } from './root.js';

const mapping = { uids: [{ containerId: 0, hostId: 100000, size: 65536 }], gids: [{ containerId: 0, hostId: 200000, size: 65536 }] };

describe.skipIf(process.getuid?.() !== 0)('the remapped daemon root', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-uroot-'));
    chmodSync(dir, 0o711);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is <root>/<uid>.<gid>, 0710 root:<gid>, below a root searchable by all', () => {
    const root = join(dir, 'graph');
    mkdirSync(root, { mode: 0o700 });
    expect(remappedDaemonRoot(root, mapping)).toBe(join(root, '100000.200000'));
    expect(lstatSync(root).mode & 0o7777).toBe(0o711);
    expect(lstatSync(join(root, '100000.200000'))).toMatchObject({ uid: 0, gid: 200000, mode: 0o40710 });
  });

  it("refuses a root the remapped root cannot reach, with Docker's message", () => {
    chmodSync(dir, 0o700);
    const root = join(dir, 'graph');
    expect(() => remappedDaemonRoot(root, mapping)).toThrow(
      `a subdirectory in your graphroot path (${root}/100000.200000) restricts access to the remapped root uid/gid; please fix by allowing 'o+x' permissions on existing directories`,
    );
  });

  it('opens the engine dirs to the remapped group and gives files to the remapped root', () => {
    prepareRemappedDirs([join(dir, 'containers')], mapping);
    expect(lstatSync(join(dir, 'containers'))).toMatchObject({ uid: 0, gid: 200000, mode: 0o40710 });
    writeFileSync(join(dir, 'hosts'), '');
    chownToRemappedRoot([join(dir, 'hosts'), join(dir, 'missing')], mapping);
    expect(lstatSync(join(dir, 'hosts'))).toMatchObject({ uid: 100000, gid: 200000 });
    prepareRemappedDirs([join(dir, 'plain')], undefined);
    chownToRemappedRoot([join(dir, 'hosts')], undefined);
    expect(lstatSync(join(dir, 'hosts'))).toMatchObject({ uid: 100000 });
  });
});
