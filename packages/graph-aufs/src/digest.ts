import { createHash, randomBytes } from 'node:crypto';

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Docker's chain ID: the diffID for a base layer, else sha256("<parent chain> <diffID>"). */
export function chainId(parent: string | null, diffId: string): string {
  return parent === null ? diffId : sha256(`${parent} ${diffId}`);
}

export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  let parent: string | null = null;
  for (const d of diffIds) {
    parent = chainId(parent, d);
    out.push(parent);
  }
  return out;
}

export function randomId(): string {
  return randomBytes(32).toString('hex');
}

export function hex(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(7) : digest;
}
