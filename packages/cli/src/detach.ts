/** ctrl-p ctrl-q: the key sequence that detaches from an attached container. */
export const DEFAULT_DETACH_KEYS: readonly number[] = [0x10, 0x11];

/**
 * Parses Docker's `--detach-keys` syntax (`ctrl-p,ctrl-q`, `a,ctrl-@`): `ctrl-<a..z@[\]^_>` or
 * one character per comma-separated item.
 */
export function parseDetachKeys(spec: string): number[] {
  return spec.split(',').map((item) => {
    const key = item.trim();
    if (key.length === 1) return key.charCodeAt(0);
    const m = /^ctrl-(.)$/i.exec(key);
    const c = m?.[1]?.toLowerCase();
    if (c !== undefined) {
      if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 0x60;
      const special = '@[\\]^_'.indexOf(c);
      if (special >= 0) return special === 0 ? 0 : 0x1a + special;
    }
    throw new Error(`Unknown character: '${key}'`);
  });
}

export interface DetachResult {
  /** The bytes to send on to the container. */
  forward: Buffer;
  /** The sequence was typed: stop sending and detach. */
  detached: boolean;
}

/**
 * Watches stdin for the detach sequence. Bytes that could start the sequence are held back and
 * sent on only if the following input does not complete it, so the container never sees a
 * completed sequence.
 */
export class DetachDetector {
  private matched = 0;

  constructor(private readonly keys: readonly number[] = DEFAULT_DETACH_KEYS) {
    if (keys.length === 0) throw new Error('empty detach key sequence');
  }

  feed(chunk: Uint8Array): DetachResult {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.matched = 0;
          return { forward: Buffer.from(out), detached: true };
        }
        continue;
      }
      out.push(...this.keys.slice(0, this.matched));
      this.matched = 0;
      if (byte === this.keys[0]) this.matched = 1;
      else out.push(byte);
    }
    return { forward: Buffer.from(out), detached: false };
  }
}
