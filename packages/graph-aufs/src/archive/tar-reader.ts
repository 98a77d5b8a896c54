import {
  BLOCK,
  decodeHeader,
  decodePax,
  GNU_LONGLINK_FLAG,
  GNU_LONGNAME_FLAG,
  PAX_FLAG,
  PAX_GLOBAL_FLAG,
  TarHeaderError,
  XATTR_PAX,
  type RawHeader,
} from './tar-format.js';

/** A header with its PAX and GNU long-name overrides applied. */
export interface TarHeader extends RawHeader {
  /** From `SCHILY.xattr.<name>` records: xattr name → value bytes as archived. */
  xattrs: Map<string, Buffer>;
}

export interface TarEntry {
  header: TarHeader;
  /** The entry's `size` bytes; whatever is not read is skipped when the next entry is asked for. */
  body: AsyncIterable<Buffer>;
}

// Meta entries (PAX records, GNU long names) are read whole; bigger ones are not honest archives.
const MAX_META = 1 << 20;

/** Reads exact byte counts from a stream of chunks. */
class Bytes {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** Exactly n bytes, or null at a clean end of input; throws when the input ends in between. */
  async take(n: number): Promise<Buffer | null> {
    if (this.buf.length >= n) {
      const whole = this.buf.subarray(0, n);
      this.buf = this.buf.subarray(n);
      return whole;
    }
    const parts: Buffer[] = [];
    let have = 0;
    for await (const chunk of this.slices(n, true)) {
      parts.push(chunk);
      have += chunk.length;
    }
    if (have === 0 && n > 0) return null;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** Up to n bytes as they arrive; an end before n throws unless `lenientAtStart` and nothing came. */
  async *slices(n: number, lenientAtStart = false): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0) {
        const r = await this.it.next();
        if (r.done) {
          if (lenientAtStart && left === n) return;
          throw new Error('unexpected EOF');
        }
        this.buf = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
        continue;
      }
      const piece = this.buf.subarray(0, left);
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.slices(n));
  }

  /** Reads the input to its end, so that whoever hashes it sees every byte. */
  async drain(): Promise<void> {
    this.buf = Buffer.alloc(0);
    for (let r = await this.it.next(); !r.done; r = await this.it.next());
  }
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

async function meta(bytes: Bytes, h: RawHeader): Promise<Buffer> {
  if (h.size > MAX_META) throw new TarHeaderError();
  const data = (await bytes.take(h.size)) ?? Buffer.alloc(0);
  await bytes.skip(padding(h.size));
  return data;
}

/** A NUL-terminated GNU long name. */
function cString(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString('utf8', 0, nul === -1 ? data.length : nul);
}

function applyPax(h: TarHeader, pax: Map<string, Buffer>): void {
  for (const [key, value] of pax) {
    const text = () => value.toString('utf8');
    if (key === 'path') h.name = text();
    else if (key === 'linkpath') h.linkname = text();
    else if (key === 'size' || key === 'uid' || key === 'gid') {
      if (!/^[0-9]+$/.test(text())) throw new TarHeaderError();
      h[key] = Number(text());
    } else if (key === 'mtime') {
      const seconds = Number(text());
      if (!Number.isFinite(seconds)) throw new TarHeaderError();
      h.mtime = new Date(seconds * 1000);
    } else if (key.startsWith(XATTR_PAX)) h.xattrs.set(key.slice(XATTR_PAX.length), value);
  }
}

/**
 * Reads a tar (ustar, GNU or PAX) entry by entry. PAX records apply to the entry after them, with
 * their values kept as bytes; global PAX headers are skipped, as Docker's unpacker skips them.
 * After the end-of-archive blocks the rest of the input is read and dropped.
 */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const bytes = new Bytes(source[Symbol.asyncIterator]());
  let pax: Map<string, Buffer> | null = null;
  let longName: string | null = null;
  let longLink: string | null = null;
  for (;;) {
    const block = await bytes.take(BLOCK);
    const raw = block === null ? null : decodeHeader(block);
    if (raw === null) {
      await bytes.drain();
      return;
    }
    switch (raw.typeflag) {
      case PAX_FLAG:
        pax = decodePax(await meta(bytes, raw));
        continue;
      case PAX_GLOBAL_FLAG:
        await meta(bytes, raw);
        continue;
      case GNU_LONGNAME_FLAG:
        longName = cString(await meta(bytes, raw));
        continue;
      case GNU_LONGLINK_FLAG:
        longLink = cString(await meta(bytes, raw));
        continue;
    }
    const header: TarHeader = { ...raw, xattrs: new Map() };
    if (longName !== null) header.name = longName;
    if (longLink !== null) header.linkname = longLink;
    if (pax !== null) applyPax(header, pax);
    pax = longName = longLink = null;
    // Like Go's reader, only regular files have data, whatever the size field of others says.
    const size = header.type === 'file' || header.type === 'contiguous-file' || header.type === null ? header.size : 0;
    let read = 0;
    const body = (async function* () {
      for await (const piece of bytes.slices(size - read)) {
        read += piece.length;
        yield piece;
      }
    })();
    yield { header, body };
    await bytes.skip(size - read + padding(size));
  }
}
