import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureSubIdRange, idMapOf, nextRangeStart, parseSubIds, readSubIds } from './subids.js';

describe('subordinate ID files', () => {
  it('parses name or numeric ID lines, skipping blanks, comments and malformed lines', () => {
    const text = '# users\nalice:100000:65536\n\n  1000:165536:65536  \nbad line\nbob:x:1\ncarol:1:2:3\nalice:300000:10\n';
    expect(parseSubIds(text)).toEqual([
      { name: 'alice', start: 100000, count: 65536 },
      { name: '1000', start: 165536, count: 65536 },
      { name: 'alice', start: 300000, count: 10 },
    ]);
  });

  it('maps every range of a user (by name or uid) with container IDs counting on', () => {
    const ranges = parseSubIds('alice:100000:1000\nbob:200000:65536\n1000:300000:5000\n');
    expect(idMapOf(ranges, ['alice', '1000'])).toEqual([
      { containerId: 0, hostId: 100000, size: 1000 },
      { containerId: 1000, hostId: 300000, size: 5000 },
    ]);
    expect(idMapOf(ranges, ['nobody', '65534'])).toEqual([]);
  });

  it("reports a missing file as Go's open error", () => {
    expect(() => readSubIds('/nonexistent/subuid')).toThrow('open /nonexistent/subuid: no such file or directory');
  });

  it('puts a new range after those it would overlap, as idtools does', () => {
    expect(nextRangeStart([])).toBe(100000);
    expect(nextRangeStart(parseSubIds('a:100000:65536\n'))).toBe(165536);
    expect(nextRangeStart(parseSubIds('b:165536:65536\na:100000:65536\n'))).toBe(231072);
    expect(nextRangeStart(parseSubIds('far:1000000:65536\n'))).toBe(100000);
  });

  it('appends a range for a user who has none, and leaves one who has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-subid-'));
    try {
      const file = join(dir, 'subuid');
      writeFileSync(file, 'alice:100000:65536');
      ensureSubIdRange(file, 'dockremap');
      ensureSubIdRange(file, 'dockremap');
      expect(readFileSync(file, 'utf8')).toBe('alice:100000:65536\ndockremap:165536:65536\n');
      ensureSubIdRange(join(dir, 'subgid'), 'dockremap');
      expect(readFileSync(join(dir, 'subgid'), 'utf8')).toBe('dockremap:100000:65536\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
