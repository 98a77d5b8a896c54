import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { contextPaths, detectCompression, dockerfileOnlyContext, extractContext, looksLikeArchive, packContext } from './context.js';

describe('build context', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ctx-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('packs a directory without ignored paths (Dockerfile and .dockerignore kept) and unpacks it, gzip too', async () => {
    const src = tmp();
    mkdirSync(join(src, 'sub/deep'), { recursive: true });
    writeFileSync(join(src, 'Dockerfile'), 'FROM busybox\n');
    writeFileSync(join(src, '.dockerignore'), '*.md\nDockerfile\n.dockerignore\n');
    writeFileSync(join(src, 'a.md'), 'x');
    writeFileSync(join(src, 'sub/deep/f'), 'deep');
    symlinkSync('deep/f', join(src, 'sub/link'));
    const opts = { excludes: ['*.md', 'Dockerfile', '.dockerignore'], keep: ['Dockerfile', '.dockerignore'] };
    expect(contextPaths(src, opts)).toEqual(['.dockerignore', 'Dockerfile', 'sub', 'sub/deep', 'sub/deep/f', 'sub/link']);
    const tar = await buffer(packContext(src, opts));
    expect(looksLikeArchive(tar)).toBe(true);
    for (const data of [tar, gzipSync(tar)]) {
      const dst = tmp();
      await extractContext(Readable.from([data]), dst);
      expect(readFileSync(join(dst, 'sub/deep/f'), 'utf8')).toBe('deep');
      expect(readlinkSync(join(dst, 'sub/link'))).toBe('deep/f');
      expect(() => readFileSync(join(dst, 'a.md'))).toThrow();
    }
    expect(detectCompression(gzipSync(tar))).toBe('gzip');
  });

  it('wraps a bare Dockerfile in a tar, and a text file is not an archive', async () => {
    const dst = tmp();
    await extractContext(dockerfileOnlyContext(Buffer.from('FROM busybox\n')), dst);
    expect(readFileSync(join(dst, 'Dockerfile'), 'utf8')).toBe('FROM busybox\n');
    expect(looksLikeArchive(Buffer.from('FROM busybox\n'))).toBe(false);
  });
});
