import type { CliIO } from './command.js';

/**
 * docker 1.7's loop over several containers or images: each success prints its argument (or
 * what `act` returns), each failure prints its error on stderr, and when any failed the command
 * ends with `Error: failed to <what>: [a b]`.
 */
export async function forEachTarget(
  io: CliIO,
  names: readonly string[],
  what: string,
  act: (name: string) => Promise<string | void>,
): Promise<void> {
  const failed: string[] = [];
  for (const name of names) {
    try {
      const out = await act(name);
      io.stdout.write(typeof out === 'string' ? out : `${name}\n`);
    } catch (err) {
      io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      failed.push(name);
    }
  }
  if (failed.length > 0) throw new Error(`Error: failed to ${what}: [${failed.join(' ')}]`);
}

/** A path segment for a container or image name (`/containers/<name>/...`). */
export const seg = (name: string): string => name.split('/').map(encodeURIComponent).join('/');
