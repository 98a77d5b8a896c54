import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupRemappedRoot, usernsFilesFromEnv, type UsernsFiles } from './remap.js';

describe('--userns-remap settings', () => {
  let dir: string;
  let files: UsernsFiles;
  const lines: string[] = [];
  const setup = (spec: string, addUser?: (name: string) => void) => setupRemappedRoot(spec, { files, log: (l) => lines.push(l), ...(addUser ? { addUser } : {}) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-remap-'));
    files = { passwd: join(dir, 'passwd'), group: join(dir, 'group'), subuid: join(dir, 'subuid'), subgid: join(dir, 'subgid') };
    writeFileSync(files.passwd, 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:50::/:/bin/sh\n');
    writeFileSync(files.group, 'root:x:0:\nalice:x:1000:\nstaff:x:50:\n');
    writeFileSync(files.subuid, 'alice:100000:65536\n1001:300000:1000\nbob:400000:1000\n');
    writeFileSync(files.subgid, 'alice:200000:65536\nbob:500000:2000\n');
    lines.length = 0;
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is off without a setting, and for root', () => {
    expect(setup('')).toBeUndefined();
    expect(setup('root')).toBeUndefined();
    expect(setup('0:0')).toBeUndefined();
    expect(lines).toContain('User namespaces: root cannot be remapped with itself; user namespaces are OFF');
  });

  it('takes a user by name or uid, with its own group or the one given', () => {
    const alice = { uids: [{ containerId: 0, hostId: 100000, size: 65536 }], gids: [{ containerId: 0, hostId: 200000, size: 65536 }] };
    expect(setup('alice')).toEqual({ setting: 'alice:alice', mapping: alice });
    expect(setup('1000')).toEqual({ setting: 'alice:alice', mapping: alice });
    expect(setup('alice:staff')?.setting).toBe('alice:staff');
    expect(setup('1000:50')?.setting).toBe('alice:staff');
    expect(lines).toContain('User namespaces: ID ranges will be mapped to subuid/subgid ranges of: alice');
  });

  it("collects a user's ranges listed by uid and by name", () => {
    expect(setup('bob:staff')?.mapping).toEqual({
      uids: [
        { containerId: 0, hostId: 300000, size: 1000 },
        { containerId: 1000, hostId: 400000, size: 1000 },
      ],
      gids: [{ containerId: 0, hostId: 500000, size: 2000 }],
    });
  });

  it("fails with dockerd's messages", () => {
    expect(() => setup('a:b:c')).toThrow('Invalid user/group specification in --userns-remap: "a:b:c"');
    expect(() => setup('4242')).toThrow('Uid 4242 has no entry in /etc/passwd: no matching entries in passwd file');
    expect(() => setup('1001')).toThrow('Gid 1001 has no entry in /etc/group: no matching entries in group file');
    expect(() => setup('carol')).toThrow('Error during uid lookup for "carol": no matching entries in passwd file');
    expect(() => setup('bob')).toThrow('Error during gid lookup for "bob": no matching entries in group file');
    expect(() => setup('alice:nogroup')).toThrow('Error during groupname lookup for "nogroup": no matching entries in group file');
    writeFileSync(files.subgid, 'bob:500000:2000\n');
    expect(() => setup('alice')).toThrow('Can\'t create ID mappings: no subuid ranges found for user "alice"');
    rmSync(files.subuid);
    expect(() => setup('alice')).toThrow(`Can't create ID mappings: open ${files.subuid}: no such file or directory`);
  });

  it('default: uses dockremap, creating it and its ranges when it is missing', () => {
    const added: string[] = [];
    const addUser = (name: string) => {
      added.push(name);
      appendFileSync(files.passwd, `${name}:x:999:999::/:/bin/false\n`);
      appendFileSync(files.group, `${name}:x:999:\n`);
    };
    expect(setup('default', addUser)).toEqual({
      setting: 'dockremap:dockremap',
      // the first free 65536 IDs from 100000 on: after alice's uids; before alice's gids
      mapping: { uids: [{ containerId: 0, hostId: 165536, size: 65536 }], gids: [{ containerId: 0, hostId: 100000, size: 65536 }] },
    });
    expect(added).toEqual(['dockremap']);
    expect(readFileSync(files.subuid, 'utf8').split('\n')).toContain('dockremap:165536:65536');
    // the second time the user exists: nothing is created
    expect(setup('default', addUser)?.setting).toBe('dockremap:dockremap');
    expect(added).toEqual(['dockremap']);
  });

  it('default: reports a failed user creation', () => {
    const failing = () => {
      throw new Error('Error adding user "dockremap": useradd: cannot lock /etc/passwd');
    };
    expect(() => setup('default', failing)).toThrow(
      'Error during "dockremap" user creation: Error adding user "dockremap": useradd: cannot lock /etc/passwd',
    );
  });

  it('reads subuid and subgid from the environment when given', () => {
    expect(usernsFilesFromEnv({ BERTH_SUBUID_FILE: '/t/u', BERTH_SUBGID_FILE: '/t/g' })).toEqual({ passwd: '/etc/passwd', group: '/etc/group', subuid: '/t/u', subgid: '/t/g' });
    expect(usernsFilesFromEnv({}).subuid).toBe('/etc/subuid');
  });
});
