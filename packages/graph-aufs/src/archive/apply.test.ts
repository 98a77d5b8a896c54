import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyTar, BreakoutError } from './apply.js';

type Entry = Partial<tar.Header> & { name: string; body?: string };

async function tarOf(entries: Entry[]): Promise<Readable> {
  const pack = tar.pack();
  for (const { body, ...h } of entries) pack.entry(h as tar.Header, Buffer.from(body ?? ''));
  pack.finalize();
  return Readable.from([await buffer(pack)]);
}

describe('applyTar', () => {
  let base: string;
  let dest: string;
  let outside: string;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'berth-apply-'));
    dest = join(base, 'dest');
    outside = join(base, 'outside');
    mkdirSync(dest);
    mkdirSync(outside);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const malicious: Array<[string, (out: string) => Entry[], boolean]> = [
    ['dot-dot entry', (_out) => [{ name: '../outside/pwned', body: 'x' }], true],
    ['nested dot-dot entry', (_out) => [{ name: 'a/../../outside/pwned', body: 'x' }], true],
    ['absolute entry', (out) => [{ name: `/${'../'.repeat(8)}${out.slice(1)}/pwned`, body: 'x' }], true],
    ['symlink out then write through it', (_out) => [{ name: 'evil', type: 'symlink', linkname: '../outside' }, { name: 'evil/pwned', body: 'x' }], true],
    ['absolute symlink then write through it', (out) => [{ name: 'evil', type: 'symlink', linkname: out }, { name: 'evil/pwned', body: 'x' }], false],
    ['hard link out', (_out) => [{ name: 'hl', type: 'link', linkname: '../outside/secret' }], true],
    ['hard link through an absolute symlink', (out) => [{ name: 'ln', type: 'symlink', linkname: out }, { name: 'hl', type: 'link', linkname: 'ln/secret' }], false],
  ];

  it.each(malicious)('%s writes nothing outside the target', async (_name, entriesFor, breakout) => {
    const secret = join(outside, 'secret');
    writeFileSync(secret, 'secret');
    const run = applyTar(await tarOf(entriesFor(outside)), dest, 'apply');
    if (breakout) await expect(run).rejects.toThrow(BreakoutError);
    else await run.catch(() => undefined);
    expect(readdirSync(outside)).toEqual(['secret']);
    expect(statSync(secret).nlink).toBe(1);
    expect(readFileSync(secret, 'utf8')).toBe('secret');
  });

  it('keeps owners, modes, mtimes, devices, hard links, xattrs and long names', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
    const mtime = new Date('2015-06-16T00:00:00Z');
    await applyTar(
      await tarOf([
        { name: 'f', body: 'hello', mode: 0o4755, uid: 1000, gid: 2000, mtime, pax: { 'SCHILY.xattr.user.k': 'v' } },
        { name: 'h', type: 'link', linkname: 'f' },
        { name: 'null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
        { name: long, body: 'deep' },
      ]),
      dest,
      'apply',
    );
    const st = lstatSync(join(dest, 'f'));
    expect([st.mode & 0o7777, st.uid, st.gid, st.mtime.getTime(), st.nlink]).toEqual([0o4755, 1000, 2000, mtime.getTime(), 2]);
    expect(lstatSync(join(dest, 'h')).ino).toBe(st.ino);
    expect(lstatSync(join(dest, 'null')).rdev).toBe(lstatSync('/dev/null').rdev);
    expect(readFileSync(join(dest, long), 'utf8')).toBe('deep');
  });

  it('applies AUFS whiteouts and opaque directories', async () => {
    await applyTar(await tarOf([{ name: 'a/old', body: '1' }, { name: 'a/keep', body: '1' }, { name: 'b/x', body: '1' }]), dest, 'apply');
    await applyTar(await tarOf([{ name: 'a/.wh.old' }, { name: 'b/', type: 'directory' }, { name: 'b/.wh..wh..opq' }, { name: 'b/y', body: '2' }]), dest, 'apply');
    expect(readdirSync(join(dest, 'a'))).toEqual(['keep']);
    expect(readdirSync(join(dest, 'b'))).toEqual(['y']);
  });
});
