// The management commands' own answers (help, unknown flags and sub-commands) side by side with
// the docker CLI's, which gives them without a daemon.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCKER, runProgram, type Result } from '../test-support/daemon.js';
import { NO_DAEMON, runMain } from '../test-support/main.js';

const berth = (...argv: string[]): Promise<Result> => runMain(['-H', NO_DAEMON, ...argv]);

/** docker's sub-commands that berth does not have. */
const MISSING: Record<string, string[]> = { volume: ['update'], network: [] };

/** docker's answer in berth's words, without the lines of the sub-commands berth does not have. */
async function docker(group: string, ...argv: string[]): Promise<Result> {
  const r = await runProgram(DOCKER, [group, ...argv], { env: { PATH: process.env['PATH'], HOME: '/nonexistent', DOCKER_HOST: NO_DAEMON } });
  const ours = (text: string): string =>
    text
      .replaceAll('docker', 'berth')
      .split('\n')
      .filter((l) => !MISSING[group]!.some((m) => l.startsWith(`  ${m}  `)))
      .join('\n');
  return { code: r.code, stdout: ours(r.stdout), stderr: ours(r.stderr) };
}

const CASES: string[][] = [[], ['--help'], ['-h'], ['--help=false'], ['bogus'], ['bogus', 'extra'], ['help', 'ls'], ['--', 'ls'], ['--bogus'], ['-x'], ['-hx'], ['bogus', '--help']];

describe('berth volume / berth network as command groups', () => {
  it('lists the sub-commands by name, with aliases dispatching', async () => {
    expect(await berth('volume')).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Usage:  berth volume COMMAND\n\nManage volumes\n\nCommands:\n' +
        '  create      Create a volume\n  inspect     Display detailed information on one or more volumes\n  ls          List volumes\n' +
        '  prune       Remove unused local volumes\n  rm          Remove one or more volumes\n\n' +
        "Run 'berth volume COMMAND --help' for more information on a command.\n",
    });
    expect(await berth('network', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: "berth: unknown command: berth network nope\n\nUsage:  berth network\n\nRun 'berth network --help' for more information\n",
    });
    for (const [group, alias, name] of [['volume', 'list', 'ls'], ['volume', 'remove', 'rm'], ['network', 'list', 'ls'], ['network', 'remove', 'rm']] as const) {
      const r = await berth(group, alias, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^\\nUsage: berth ${group} ${name} `));
    }
  });

  describe.skipIf(!existsSync(DOCKER))('answers as the docker CLI does', () => {
    for (const group of ['volume', 'network']) {
      for (const args of CASES) {
        it(`${group} ${args.join(' ')}`, async () => {
          expect(await berth(group, ...args)).toEqual(await docker(group, ...args));
        });
      }
    }
  });
});
