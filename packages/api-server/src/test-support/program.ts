// Runs a client program (the docker CLI, berth) to its end for a test, output collected.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root: where programs run. */
const REPO = join(import.meta.dirname, '../../../..');

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeout?: number;
}

/** Runs a program to its end, collecting output and exit code (never rejects). */
export function runProgram(file: string, args: string[], opts: RunOptions = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: REPO, env: opts.env ?? process.env, timeout: opts.timeout ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // a program that exits without reading its input must not fail the caller (EPIPE)
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
  });
}
