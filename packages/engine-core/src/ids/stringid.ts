import { randomBytes } from 'node:crypto';

/** Length of the short form of an ID, also the default hostname of a container. */
export const SHORT_ID_LENGTH = 12;

const FULL_ID = /^[0-9a-f]{64}$/;

/** The 12-character short form of an ID (a `sha256:` prefix is dropped first). */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return hex.slice(0, SHORT_ID_LENGTH);
}

/** True for a full 64-character lower-case hex ID. */
export function isFullId(id: string): boolean {
  return FULL_ID.test(id);
}

/**
 * A new random 64-hex ID (Docker's `stringid.GenerateRandomID`). An ID whose short form is all
 * digits is drawn again: such a short ID breaks hostnames (moby #3869).
 */
export function generateId(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(32).toString('hex');
    if (!/^[0-9]+$/.test(shortId(id))) return id;
  }
}
