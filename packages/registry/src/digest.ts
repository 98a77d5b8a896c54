// sha256 digests of streams, checked as the bytes pass.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, RegistryError } from './errors.js';

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function assertSupportedDigest(digest: string): void {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new RegistryError(`unsupported digest algorithm: ${digest}`);
}

/** Passes bytes through, hashing them; the stream fails at its end if they do not match `expected`. */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly expected: string) {
    super();
    assertSupportedDigest(expected);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const actual = `sha256:${this.hash.digest('hex')}`;
    cb(actual === this.expected ? null : new DigestMismatchError(this.expected, actual));
  }
}
