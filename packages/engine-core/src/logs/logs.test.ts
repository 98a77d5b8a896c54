import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRFC3339Nano } from '@berth/api-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLogPath, logRecordText, parseLogLine, parseTail, readJsonLog, rotatedLogFiles, type LogReadOptions, type LogRecord } from './index.js';

const ID = 'd'.repeat(64);
const T0 = 1_436_842_842_000_000_000n;
const sec = (n: number) => T0 + BigInt(n) * 1_000_000_000n;

function line(log: string, stream: 'stdout' | 'stderr', t: bigint): string {
  return JSON.stringify({ log, stream, time: formatRFC3339Nano(t) }) + '\n';
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-logs-'));
  path = jsonLogPath(dir, ID);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function collect(o: Partial<LogReadOptions>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readJsonLog(path, { stdout: true, stderr: true, ...o })) out.push(`${r.stream}:${r.log.trimEnd()}`);
  return out;
}

/** Ten lines: out0 err1 out2 ... at T0+i seconds, 3 in `.2`, 3 in `.1`, 4 live. */
function writeRotated(): void {
  const lines = Array.from({ length: 10 }, (_, i) =>
    line(`${i % 2 ? 'err' : 'out'}${i}\n`, i % 2 ? 'stderr' : 'stdout', sec(i)),
  );
  writeFileSync(path + '.2', lines.slice(0, 3).join(''));
  writeFileSync(path + '.1', lines.slice(3, 6).join(''));
  writeFileSync(path, lines.slice(6).join(''));
}

describe('json-file lines', () => {
  it('parses a record and refuses garbage', () => {
    expect(parseLogLine('{"log":"hello\\n","stream":"stdout","time":"2015-07-14T03:00:42.551698460Z"}')).toEqual({
      log: 'hello\n',
      stream: 'stdout',
      timeNano: 1_436_842_842_551_698_460n,
    } satisfies LogRecord);
    expect(parseLogLine('{"log":"x","stream":"stdin","time":"2015-07-14T03:00:42Z"}')).toBeUndefined();
    expect(parseLogLine('{"log":"x","stream":"stdout","time":"nope"}')).toBeUndefined();
    expect(parseLogLine('{"log":"x","str')).toBeUndefined();
  });

  it('prefixes the fixed-width timestamp on request', () => {
    const r: LogRecord = { stream: 'stdout', log: 'hi\n', timeNano: 1_436_842_842_500_000_000n };
    expect(logRecordText(r, false)).toBe('hi\n');
    expect(logRecordText(r, true)).toBe('2015-07-14T03:00:42.500000000Z hi\n');
  });

  it('parses tail values as Docker does', () => {
    expect(parseTail('all')).toBeUndefined();
    expect(parseTail(undefined)).toBeUndefined();
    expect(parseTail('10')).toBe(10);
    expect(parseTail('0')).toBe(0);
    expect(parseTail('-1')).toBeUndefined();
    expect(parseTail('ten')).toBeUndefined();
  });
});

describe('readJsonLog history', () => {
  it('reads rotated files oldest first, then the live file', async () => {
    writeRotated();
    expect(await rotatedLogFiles(path)).toEqual([path + '.2', path + '.1']);
    expect(await collect({})).toEqual([
      'stdout:out0', 'stderr:err1', 'stdout:out2', 'stderr:err3', 'stdout:out4',
      'stderr:err5', 'stdout:out6', 'stderr:err7', 'stdout:out8', 'stderr:err9',
    ]);
  });

  it('selects streams, tails across files, and applies since/until', async () => {
    writeRotated();
    expect(await collect({ stderr: false })).toEqual(['stdout:out0', 'stdout:out2', 'stdout:out4', 'stdout:out6', 'stdout:out8']);
    expect(await collect({ tail: 2 })).toEqual(['stdout:out8', 'stderr:err9']);
    expect(await collect({ tail: 6 })).toEqual(['stdout:out4', 'stderr:err5', 'stdout:out6', 'stderr:err7', 'stdout:out8', 'stderr:err9']);
    expect(await collect({ tail: 3, stdout: false })).toEqual(['stderr:err7', 'stderr:err9']);
    expect(await collect({ tail: 0 })).toEqual([]);
    expect(await collect({ tail: 100 })).toHaveLength(10);
    expect(await collect({ since: sec(7) })).toEqual(['stderr:err7', 'stdout:out8', 'stderr:err9']);
    expect(await collect({ since: sec(2), until: sec(3) })).toEqual(['stdout:out2', 'stderr:err3']);
  });

  it('tails a file larger than one read chunk and skips a torn last line', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => line(`line ${i} ${'x'.repeat(40)}\n`, 'stdout', sec(i))).join('');
    writeFileSync(path, many + '{"log":"torn');
    const out = await collect({ tail: 3 });
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['stdout:line 4997', 'stdout:line 4998', 'stdout:line 4999']);
    expect(await collect({})).toHaveLength(5000);
  });

  it('reads nothing when there is no log yet', async () => {
    expect(await collect({})).toEqual([]);
    expect(await collect({ tail: 5 })).toEqual([]);
  });
});

describe('readJsonLog follow', () => {
  it('delivers new lines across a rotation and ends when the container stops', async () => {
    writeFileSync(path, line('first\n', 'stdout', sec(0)));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const seen: string[] = [];
    const reader = (async () => {
      for await (const r of readJsonLog(path, { stdout: true, stderr: true, follow: true, stopped })) {
        seen.push(r.log.trimEnd());
        if (r.log === 'second\n') {
          appendFileSync(path, line('third\n', 'stderr', sec(2)));
          renameSync(path, path + '.1');
          writeFileSync(path, line('fourth\n', 'stdout', sec(3)));
        }
        if (r.log === 'fourth\n') {
          appendFileSync(path, line('last words\n', 'stdout', sec(4)));
          stop();
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    appendFileSync(path, line('second\n', 'stdout', sec(1)));
    await reader;
    expect(seen).toEqual(['first', 'second', 'third', 'fourth', 'last words']);
  });

  it('returns after the history when the container has already stopped', async () => {
    writeFileSync(path, line('only\n', 'stdout', sec(0)));
    expect(await collect({ follow: true, stopped: Promise.resolve() })).toEqual(['stdout:only']);
  });

  it('ends on abort and once past until', async () => {
    writeFileSync(path, line('a\n', 'stdout', sec(0)));
    const ac = new AbortController();
    const never = new Promise<void>(() => {});
    const pending = collect({ follow: true, stopped: never, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(await pending).toEqual(['stdout:a']);

    const untilRead = collect({ follow: true, stopped: never, until: sec(1) });
    setTimeout(() => appendFileSync(path, line('b\n', 'stdout', sec(1)) + line('c\n', 'stdout', sec(2))), 30);
    expect(await untilRead).toEqual(['stdout:a', 'stdout:b']);
  });
});
