// Runs the berth command line in-process, its output collected (no daemon unless the test gives one).
import { PassThrough } from 'node:stream';
import { sink } from '@berth/api-server/test-support';
import { main } from '../main.js';
import type { Result } from './daemon.js';

/** A daemon address where none listens: for cases that must end before the CLI talks to one. */
export const NO_DAEMON = 'unix:///nonexistent/berth.sock';

/** `berth ARGV` in the given environment, `input` on its stdin. */
export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Result> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end(input);
  const code = await main(argv, { stdin, stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}
