import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../bin/berth', import.meta.url));
const ENTRY = fileURLToPath(new URL('../bin/berth.js', import.meta.url));

// A `node` first on PATH that reports how bin/berth started it.
const dir = mkdtempSync(join(tmpdir(), 'berth-launcher-'));
writeFileSync(join(dir, 'node'), '#!/bin/sh\nprintf "%s\\n" "NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS-unset}" "BERTH_EXTRA_CA_CERTS=${BERTH_EXTRA_CA_CERTS-unset}" "$@"\n', { mode: 0o755 });
const linked = join(dir, 'bin', 'berth');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launch(args: string[], env: Record<string, string>, bin = LAUNCHER): Promise<string[]> {
  const r = await promisify(execFile)(bin, args, { env: { PATH: `${dir}:/usr/bin:/bin`, ...env } });
  return r.stdout.trimEnd().split('\n');
}

describe('bin/berth', () => {
  it('starts a client without NODE_EXTRA_CA_CERTS, set aside for a daemon it starts', async () => {
    expect(await launch(['run', '--rm', 'busybox', 'true'], { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' })).toEqual([
      'NODE_EXTRA_CA_CERTS=unset',
      'BERTH_EXTRA_CA_CERTS=/etc/ca.pem',
      ENTRY,
      'run',
      '--rm',
      'busybox',
      'true',
    ]);
  });

  it('keeps it for `berth daemon`, and changes nothing when it is not set', async () => {
    expect((await launch(['-D', 'daemon', '-H', 'unix:///x.sock'], { NODE_EXTRA_CA_CERTS: '/etc/ca.pem' })).slice(0, 3)).toEqual([
      'NODE_EXTRA_CA_CERTS=/etc/ca.pem',
      'BERTH_EXTRA_CA_CERTS=unset',
      ENTRY,
    ]);
    expect((await launch(['ps'], {})).slice(0, 2)).toEqual(['NODE_EXTRA_CA_CERTS=unset', 'BERTH_EXTRA_CA_CERTS=unset']);
  });

  it('finds bin/berth.js through a symlink (as npm links the command)', async () => {
    mkdirSync(join(dir, 'bin'));
    symlinkSync(LAUNCHER, linked);
    expect((await launch(['a  b', '*'], {}, linked)).slice(2)).toEqual([ENTRY, 'a  b', '*']);
  });
});
