import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The uncompressed bytes of a layer stream, with their sha256 (the diffID) and length once read. */
export interface DigestedStream {
  stream: Readable;
  /** `sha256:<hex>`; valid after `stream` has ended. */
  digest(): string;
  /** Uncompressed byte count; valid after `stream` has ended. */
  size(): number;
}

const GZIP = [0x1f, 0x8b];
const BZIP2 = [0x42, 0x5a, 0x68];
const XZ = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

function startsWith(buf: Buffer, magic: number[]): boolean {
  return buf.length >= magic.length && magic.every((b, i) => buf[i] === b);
}

async function* rejoin(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

async function* uncompressed(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  // Gather enough bytes to recognise a compression magic number.
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < XZ.length && !done) {
    const r = await it.next();
    if (r.done) done = true;
    else head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  if (startsWith(head, BZIP2) || startsWith(head, XZ)) throw new Error('unsupported compression format (only gzip and uncompressed tar are accepted)');
  const rest: AsyncIterator<Buffer> = done ? { next: async () => ({ done: true, value: undefined }) } : it;
  if (!startsWith(head, GZIP)) {
    yield* rejoin(head, rest);
    return;
  }
  const gunzip = Readable.from(rejoin(head, rest)).pipe(createGunzip());
  yield* gunzip as AsyncIterable<Buffer>;
}

/** Wraps a plain or gzip layer stream: yields the tar bytes and hashes them as they pass. */
export function digestedTar(input: Readable): DigestedStream {
  const hash = createHash('sha256');
  let total = 0;
  let digest: string | null = null;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of uncompressed(input)) {
      hash.update(chunk);
      total += chunk.length;
      yield chunk;
    }
    digest = `sha256:${hash.digest('hex')}`;
  }
  return {
    stream: Readable.from(hashed(), { objectMode: false }),
    digest: () => {
      if (digest === null) throw new Error('layer stream not fully read');
      return digest;
    },
    size: () => total,
  };
}
