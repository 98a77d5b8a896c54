import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  errorMessage,
  formatJSONMessage,
  humanSize,
  layerMessage,
  progressBar,
  progressMessage,
  ProgressCounter,
  shortId,
  statusMessage,
} from './progress.js';

describe('humanSize (go-units HumanSize)', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1234567, '1.235MB'],
    [3_400_000, '3.4MB'],
    [2_147_483_648, '2.147GB'],
  ])('%d → %s', (n, s) => expect(humanSize(n)).toBe(s));
});

describe('progressBar (JSONProgress.String, width 200)', () => {
  it('draws 50 columns, then current/total', () => {
    expect(progressBar(1234567, 3_400_000)).toBe(`[${'='.repeat(18)}>${' '.repeat(32)}]  1.235MB/3.4MB`);
  });
  it('is full at the end and empty with nothing to show', () => {
    expect(progressBar(3_400_000, 3_400_000)).toBe(`[${'='.repeat(50)}>]    3.4MB/3.4MB`);
    expect(progressBar(0, 0)).toBe('');
  });
  it('shows only the count without a total, and drops a wonky total', () => {
    expect(progressBar(5000, 0)).toBe('     5kB');
    expect(progressBar(5000, 4000)).toBe(`[${'='.repeat(50)}>]      5kB`);
  });
});

describe('JSON messages', () => {
  it('keeps Docker field order and omits empty fields', () => {
    expect(formatJSONMessage(statusMessage('Pulling from library/busybox', 'latest'))).toBe(
      '{"status":"Pulling from library/busybox","id":"latest"}\n',
    );
    expect(formatJSONMessage(layerMessage('f6c208f3f991', 'Pulling fs layer'))).toBe(
      '{"status":"Pulling fs layer","progressDetail":{},"id":"f6c208f3f991"}\n',
    );
    expect(formatJSONMessage(progressMessage('f6c208f3f991', 'Downloading', 1000, 2000))).toBe(
      `{"status":"Downloading","progressDetail":{"current":1000,"total":2000},"progress":"[${'='.repeat(25)}>${' '.repeat(25)}]      1kB/2kB","id":"f6c208f3f991"}\n`,
    );
    expect(formatJSONMessage(errorMessage('manifest unknown'))).toBe(
      '{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n',
    );
    expect(formatJSONMessage({ id: 'x', status: 'Digest: sha256:ab' })).toBe('{"status":"Digest: sha256:ab","id":"x"}\n');
  });
  it('shortens digests to 12 hex digits', () => {
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
  });
});

describe('ProgressCounter', () => {
  it('reports every interval and the final count', async () => {
    const seen: number[] = [];
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(100));
    await pipeline(
      Readable.from(chunks),
      new ProgressCounter((n) => seen.push(n), { bytes: 250, ms: 60_000 }),
      new Writable({ write: (_c, _e, cb) => cb() }),
    );
    expect(seen).toEqual([100, 400, 700, 1000]);
  });
});
