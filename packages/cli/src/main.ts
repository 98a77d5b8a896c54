import { readFileSync } from 'node:fs';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs the berth command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`berth version ${VERSION}\n`);
    return 0;
  }
  process.stderr.write(`berth: '${command ?? ''}' is not a berth command.\nSee 'berth --help'.\n`);
  return 1;
}
