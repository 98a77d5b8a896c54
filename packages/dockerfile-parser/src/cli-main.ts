// `berth-dockerfile dump|lint FILE`: the parser's dump and the linter from a shell.
import { readFileSync } from 'node:fs';
import { dump } from './dump.js';
import { DockerfileParseError } from './errors.js';
import { lint } from './lint.js';
import { parse } from './parser.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file, or standard input for "-". */
  read(path: string): string;
}

const USAGE = 'Usage: berth-dockerfile dump|lint FILE   (FILE "-" reads standard input)\n';

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  read: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
};

/** Runs the command; returns the exit status (0 ok, 1 parse error or lint errors, 2 usage). */
export function runCli(argv: readonly string[], io: CliIO = processIO): number {
  const [command, file, ...extra] = argv;
  if ((command !== 'dump' && command !== 'lint') || file === undefined || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = io.read(file);
  } catch (err) {
    io.stderr(`berth-dockerfile: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    const ast = parse(text);
    if (command === 'dump') {
      io.stdout(dump(ast));
      return 0;
    }
    const findings = lint(ast);
    for (const f of findings) io.stdout(`${file}:${f.line} ${f.severity} ${f.rule}: ${f.message}\n`);
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (err) {
    if (!(err instanceof DockerfileParseError)) throw err;
    io.stderr(`${err.describe()}\n`);
    return 1;
  }
}
