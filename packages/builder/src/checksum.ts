// The content checksum ADD/COPY steps put in their cache key: a hash per file over its name, mode,
// owner, type, link target and bytes (not its times: a checkout or a touch keeps the cache, as
// Docker since 1.8), `file:`/`dir:` prefixed, and `multi:` over several sources.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function entryHash(full: string, name: string): string {
  const st = lstatSync(full);
  const h = createHash('sha256');
  h.update(`${name}\0${st.mode}\0${st.uid}\0${st.gid}\0`);
  if (st.isSymbolicLink()) h.update(`link\0${readlinkSync(full)}`);
  else if (st.isFile()) h.update(readFileSync(full));
  return h.digest('hex');
}

/** `file:<hash>` for a file or link, `dir:<hash>` for a directory (its entries, not itself). */
export function pathChecksum(full: string, name: string): string {
  const st = lstatSync(full);
  if (!st.isDirectory()) return `file:${entryHash(full, name)}`;
  const hashes: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const r = rel === '' ? n : `${rel}/${n}`;
      hashes.push(entryHash(p, r));
      if (lstatSync(p).isDirectory()) walk(p, r);
    }
  };
  walk(full, '');
  return `dir:${sha256(hashes.sort().join(','))}`;
}

/** One source's checksum, or `multi:` over several. */
export function combinedChecksum(sums: readonly string[]): string {
  return sums.length === 1 ? (sums[0] as string) : `multi:${sha256(sums.join(','))}`;
}
