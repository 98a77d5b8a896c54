import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePax, encodePax } from './tar-format.js';
import { readTar, type TarEntry } from './tar-reader.js';
import { TarWriter, type EntryHeader } from './tar-writer.js';

const mtime = new Date('2015-06-16T12:34:56Z');

async function written(entries: Array<[EntryHeader, Buffer?]>): Promise<Buffer> {
  const writer = new TarWriter();
  const done = (async () => {
    for (const [h, body] of entries) await writer.add(h, body);
    await writer.finish();
  })();
  const [bytes] = await Promise.all([buffer(writer.stream), done]);
  return bytes;
}

async function read(archive: Buffer): Promise<Array<{ entry: TarEntry; data: Buffer }>> {
  const out: Array<{ entry: TarEntry; data: Buffer }> = [];
  for await (const entry of readTar(Readable.from([archive]))) out.push({ entry, data: await buffer(entry.body) });
  return out;
}

describe('tar writer', () => {
  it('writes what tar-stream wrote wherever tar-stream was right (UTF-8 PAX values, long names)', async () => {
    const cases: Array<[EntryHeader, Buffer?]> = [
      [{ name: 'etc/', type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime }],
      [{ name: 'etc/passwd', type: 'file', mode: 0o644, uid: 1000, gid: 2000, mtime }, Buffer.from('root:x:0:0\n')],
      [{ name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', mode: 0o777, mtime }],
      [{ name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666, mtime }],
      [{ name: `${'d'.repeat(120)}/${'f'.repeat(90)}`, type: 'file', mode: 0o600, mtime }, Buffer.from('prefix split')],
      [{ name: 'x'.repeat(150), type: 'file', mode: 0o600, mtime }, Buffer.from('pax path')],
      [{ name: 'héllo', type: 'file', mode: 0o600, mtime }, Buffer.from('utf-8 name')],
      [{ name: 'hl', type: 'link', linkname: 'l'.repeat(120), mode: 0o644, mtime }],
      [{ name: 'cfg', type: 'file', mode: 0o4755, mtime, xattrs: [['user.note', Buffer.from('välue')]] }, Buffer.from('x')],
    ];
    const pack = tar.pack();
    for (const [{ xattrs, ...h }, body] of cases) {
      const pax = xattrs ? Object.fromEntries([...xattrs].map(([k, v]) => [`SCHILY.xattr.${k}`, v.toString('utf8')])) : undefined;
      pack.entry({ ...h, ...(pax ? { pax } : {}) } as tar.Header, body ?? Buffer.alloc(0));
    }
    pack.finalize();
    const [ours, theirs] = await Promise.all([written(cases), buffer(pack)]);
    expect(ours.equals(theirs)).toBe(true);
  });

  it('counts bytes in PAX record lengths, across a change in the number of digits', () => {
    for (let n = 80; n < 110; n++) {
      const value = Buffer.alloc(n, 0xff);
      const record = encodePax([['SCHILY.xattr.user.k', value]]);
      expect(Number(record.toString('latin1').split(' ')[0])).toBe(record.length);
      expect(decodePax(record).get('SCHILY.xattr.user.k')).toEqual(value);
    }
  });

  it('puts ids that do not fit in ustar into PAX records', async () => {
    const archive = await written([[{ name: 'f', type: 'file', uid: 4_000_000, gid: 300_000, mtime }, Buffer.from('x')]]);
    const [only] = await read(archive);
    expect([only?.entry.header.uid, only?.entry.header.gid]).toEqual([4_000_000, 300_000]);
  });

  it('stops with an error when its reader goes away', async () => {
    const writer = new TarWriter();
    const started = writer.add({ name: 'big', type: 'file', mtime }, Buffer.alloc(1 << 20));
    writer.stream.destroy();
    await expect(started).rejects.toThrow('tar stream closed');
    await expect(writer.add({ name: 'next', type: 'file', mtime }, Buffer.alloc(1 << 20))).rejects.toThrow('tar stream closed');
  });

  it('refuses a body of the wrong size', async () => {
    const writer = new TarWriter();
    writer.stream.resume();
    await expect(writer.add({ name: 'f', type: 'file', size: 10, mtime }, Readable.from([Buffer.from('short')]))).rejects.toThrow('size mismatch');
  });
});

describe('tar reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads GNU tar long names and PAX mtimes and skips unread bodies', async () => {
    const long = `${'a'.repeat(70)}/${'b'.repeat(70)}/${'c'.repeat(70)}`;
    mkdirSync(join(dir, 'src', long), { recursive: true });
    writeFileSync(join(dir, 'src', long, 'file'), 'body');
    writeFileSync(join(dir, 'src', 'big'), Buffer.alloc(5000, 7));
    execFileSync('touch', ['-d', '2015-06-16 12:34:56.5 UTC', join(dir, 'src', 'big')]);
    for (const format of ['gnu', 'posix']) {
      const file = join(dir, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-C', join(dir, 'src'), '-cf', file, 'big', `${long}/file`]);
      const names: string[] = [];
      let bigTime = 0;
      for await (const { header, body } of readTar(Readable.from([readFileSync(file)]))) {
        names.push(header.name);
        if (header.name === 'big') bigTime = header.mtime.getTime();
        else expect((await buffer(body)).toString()).toBe('body');
      }
      expect(names).toEqual(['big', `${long}/file`]);
      expect(bigTime).toBe(format === 'posix' ? Date.parse('2015-06-16T12:34:56.500Z') : Date.parse('2015-06-16T12:34:56Z'));
    }
  });

  it('reads the input to its end after the end-of-archive blocks', async () => {
    const archive = await written([[{ name: 'f', type: 'file', mtime }, Buffer.from('x')]]);
    let chunks = 0;
    const source = (async function* () {
      for (const c of [archive, Buffer.alloc(10240), Buffer.from('trailing')]) {
        chunks++;
        yield c;
      }
    })();
    for await (const _ of readTar(source));
    expect(chunks).toBe(3);
  });

  it('refuses a corrupt header with Go archive/tar message', async () => {
    const archive = await written([[{ name: 'f', type: 'file', mtime }, Buffer.from('x')]]);
    archive[0] = 'g'.charCodeAt(0);
    await expect(read(archive)).rejects.toThrow('archive/tar: invalid tar header');
  });

  it('refuses a truncated archive', async () => {
    const archive = await written([[{ name: 'f', type: 'file', mtime }, Buffer.alloc(2000)]]);
    await expect(read(archive.subarray(0, 1024))).rejects.toThrow('unexpected EOF');
  });
});
