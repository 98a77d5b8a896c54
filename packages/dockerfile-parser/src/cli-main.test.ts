import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { processIO, runCli, type CliIO } from './cli-main.js';

describe('berth-dockerfile', () => {
  let dir: string;
  let out: string;
  let err: string;
  let stdin: string;
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    read: (path) => (path === '-' ? stdin : processIO.read(path)),
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-dockerfile-'));
    out = '';
    err = '';
    stdin = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('dump prints the S-expressions', () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM busybox\nRUN echo hi\n');
    expect(runCli(['dump', file], io)).toBe(0);
    expect(out).toBe('(from "busybox")\n(run "echo hi")\n');
  });

  test('lint prints findings and fails on errors', () => {
    stdin = 'RUN apt-get update\nFROM a\n';
    expect(runCli(['lint', '-'], io)).toBe(1);
    expect(out.split('\n')).toEqual([
      '-:1 warning BP-RUN-2: apt-get update without apt-get install in the same RUN; use RUN apt-get update && apt-get install -y …',
      '-:1 error DF-FROM-FIRST: Please provide a source image with `from` prior to commit',
      '',
    ]);
  });

  test('a parse error is reported the way docker build does', () => {
    stdin = 'FROM a\nENV PATH\n';
    expect(runCli(['dump', '-'], io)).toBe(1);
    expect(err).toBe('dockerfile parse error on line 2: ENV must have two arguments\n');
  });

  test('usage and unreadable files', () => {
    expect(runCli([], io)).toBe(2);
    expect(err).toMatch(/^Usage: berth-dockerfile dump\|lint FILE/);
    err = '';
    expect(runCli(['dump', join(dir, 'missing')], io)).toBe(1);
    expect(err).toMatch(/ENOENT/);
  });
});
