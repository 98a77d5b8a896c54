import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { posix } from 'node:path';

export interface WalkEntry {
  /** Path relative to the walked root, without a leading slash. */
  rel: string;
  stat: Stats;
}

/** Pre-order walk in lexical order (like Go's filepath.Walk), not following symlinks. */
export function* walk(root: string, rel = ''): Generator<WalkEntry> {
  const names = readdirSync(rel === '' ? root : posix.join(root, rel)).sort();
  for (const name of names) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const stat = lstatSync(posix.join(root, childRel));
    yield { rel: childRel, stat };
    if (stat.isDirectory()) yield* walk(root, childRel);
  }
}

export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
