import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFailureCode } from './run.js';
import { imageReference } from './create.js';
import type { Result } from '../test-support/daemon.js';
import { NO_DAEMON, runMain } from '../test-support/main.js';

// No daemon: every case here must fail before the CLI talks to one.
const berth = (argv: string[]): Promise<Result> => runMain(['-H', NO_DAEMON, ...argv]);

describe('berth run / create options', () => {
  it('refuses conflicting options with docker 1.7 messages and exit 125', async () => {
    const cases: Array<[string[], string]> = [
      [['run', '-d', '--rm', 'img'], 'Conflicting options: --rm and -d'],
      [['run', '-d', '-a', 'stdout', 'img'], 'Conflicting options: -a and -d'],
      [['run', '--rm', '--restart', 'always', 'img'], 'Conflicting options: --restart and --rm'],
      [['create', '-m', '1x', 'img'], "Invalid size: '1x'"],
      [['run', '-p', 'a:b:c:d', 'img'], 'Invalid port format: a:b:c:d'],
    ];
    for (const [argv, message] of cases) {
      expect(await berth(argv), argv.join(' ')).toEqual({ code: 125, stdout: '', stderr: `${message}\nSee 'berth ${argv[0]} --help'.\n` });
    }
  });

  it('refuses a TTY for piped stdin, and needs an image', async () => {
    expect(await berth(['run', '-it', 'img'])).toEqual({ code: 1, stdout: '', stderr: 'cannot enable tty mode on non tty input\n' });
    expect((await berth(['run'])).stderr).toBe(`berth: "run" requires a minimum of 1 argument. See 'berth run --help'.\n`);
  });

  it('refuses to overwrite a --cidfile before creating anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-cid-'));
    try {
      const cid = join(dir, 'cid');
      writeFileSync(cid, 'old');
      expect(await berth(['create', '--cidfile', cid, 'img'])).toEqual({
        code: 1,
        stdout: '',
        stderr: `Container ID file found, make sure the other container isn't running or delete ${cid}\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists commands in berth --help by their one-line summary", async () => {
    const r = await berth(['--help']);
    expect(r.stdout).toContain('\n    import    Import the contents from a tarball to create a filesystem image\n');
    expect(r.stdout).toContain('\n    stop      Stop a running container\n');
  });

  it('prints the run usage with 1.7 defaults', async () => {
    const r = await berth(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\nUsage: berth run \[OPTIONS\] IMAGE \[COMMAND\] \[ARG\.\.\.\]\n\nRun a command in a new container\n\n/);
    for (const line of ['-d, --detach=false', '--net="bridge"', '--restart="no"', '-c, --cpu-shares=0', '--sig-proxy=true', '-p, --publish=[]']) {
      expect(r.stdout).toContain(`  ${line}`);
    }
  });

  it('maps start failures to docker exit codes and names images as the pull would', () => {
    expect(startFailureCode('exec: "nosuch": executable file not found in $PATH')).toBe(127);
    expect(startFailureCode('exec: "/etc": permission denied')).toBe(126);
    expect(startFailureCode('cannot join network')).toBe(125);
    expect(imageReference('busybox')).toBe('busybox:latest');
    expect(imageReference('localhost:5000/busybox')).toBe('localhost:5000/busybox:latest');
    expect(imageReference('busybox@sha256:abc')).toBe('busybox@sha256:abc');
  });
});
