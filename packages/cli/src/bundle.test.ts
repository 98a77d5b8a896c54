import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/berth.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/berth.cjs', import.meta.url));

/** The modules a `berth` process has loaded when it exits: its own files and Node's built-ins. */
async function loadedBy(args: string[]): Promise<{ files: string[]; builtins: string[]; stdout: string }> {
  const report = `process.on('exit', () => process.stderr.write('\\n' + JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) })))`;
  const r = await promisify(execFile)(process.execPath, ['-e', `${report}; process.argv.splice(1, 0, ${JSON.stringify(BIN)}); require(${JSON.stringify(BIN)})`, '--', ...args]);
  return { ...JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}'), stdout: r.stdout };
}

// Start-up time of the CLI is mostly what it loads (issue #13): one bundled file, no zod, and no
// TLS or child_process unless a command needs them.
describe('the CLI bundle', () => {
  it('is one CommonJS file that bin/berth.js loads, without zod', async () => {
    const { files, builtins, stdout } = await loadedBy(['--version']);
    expect(stdout).toBe('berth version 0.1.0\n');
    expect(files.sort()).toEqual([BIN, BUNDLE].sort());
    expect(builtins).toContain('http'); // the client's, so the list is the real one
    expect(builtins).not.toContain('https');
    expect(builtins).not.toContain('tls');
    expect(builtins).not.toContain('child_process');
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/\bzod\b/);
  });
});
