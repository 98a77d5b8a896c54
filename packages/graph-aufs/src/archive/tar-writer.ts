import { PassThrough, type Readable } from 'node:stream';
import { BLOCK, encodeHeader, encodePax, XATTR_PAX, type EntryType, type HeaderFields } from './tar-format.js';

export interface EntryHeader extends HeaderFields {
  type: EntryType;
  /** Written as `SCHILY.xattr.<name>` PAX records with the value bytes as they are. */
  xattrs?: Iterable<[string, Buffer]>;
}

// The largest id the 6 octal digits of a ustar uid/gid field hold; beyond it PAX carries the id.
const MAX_USTAR_ID = 0o777777;

// Headers, padding and small files are gathered into chunks of about this size: each chunk costs
// the stream's consumers the same whatever its size (a gzip round trip to the thread pool, a
// digest update), and a layer of 10,000 small files is otherwise 30,000 chunks.
const CHUNK = 64 * 1024;

/**
 * Writes a tar, entry by entry, at the pace its reader takes it. Headers are ustar; a PAX header
 * goes before an entry with xattrs, a name or link name ustar cannot hold, or a large uid/gid.
 */
export class TarWriter {
  private readonly out = new PassThrough();
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

  get stream(): Readable {
    return this.out;
  }

  private async write(data: Buffer): Promise<void> {
    this.gathered.push(data);
    this.gatheredBytes += data.length;
    if (this.gatheredBytes >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const data = this.gathered.length === 1 ? (this.gathered[0] as Buffer) : Buffer.concat(this.gathered, this.gatheredBytes);
    this.gathered = [];
    this.gatheredBytes = 0;
    if (this.out.write(data)) return;
    // Wait for the reader, or for its going away (a destroyed stream never drains).
    if (!this.out.destroyed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done).off('close', done);
          resolve();
        };
        this.out.on('drain', done).on('close', done);
      });
    }
    if (this.out.destroyed) throw new Error('tar stream closed');
  }

  private async pad(size: number): Promise<void> {
    const rest = (BLOCK - (size % BLOCK)) % BLOCK;
    if (rest > 0) await this.write(Buffer.alloc(rest));
  }

  /** Adds one entry; a file's `size` bytes come from `body` (a Buffer sets the size itself). */
  async add(h: EntryHeader, body?: Buffer | AsyncIterable<Buffer>): Promise<void> {
    const isFile = h.type === 'file' || h.type === 'contiguous-file';
    const size = !isFile ? 0 : Buffer.isBuffer(body) ? body.length : (h.size ?? 0);
    const main: HeaderFields = { ...h, mode: h.mode || (h.type === 'directory' ? 0o755 : 0o644), size };
    const xattrs = [...(h.xattrs ?? [])];
    const bigIds = (h.uid ?? 0) > MAX_USTAR_ID || (h.gid ?? 0) > MAX_USTAR_ID;
    let block = xattrs.length > 0 || bigIds ? null : encodeHeader(main);
    if (block === null) {
      const records: Array<[string, Buffer]> = [['path', Buffer.from(h.name)]];
      if (h.linkname) records.push(['linkpath', Buffer.from(h.linkname)]);
      if (bigIds) records.push(['uid', Buffer.from(String(h.uid ?? 0))], ['gid', Buffer.from(String(h.gid ?? 0))]);
      for (const [name, value] of xattrs) records.push([`${XATTR_PAX}${name}`, value]);
      const pax = encodePax(records);
      // The names in the ustar headers are placeholders, as tar-stream writes them; readers take PAX's.
      const stub: HeaderFields = { ...main, name: 'PaxHeader', linkname: h.linkname ? 'PaxHeader' : '' };
      await this.write(encodeHeader({ ...stub, type: 'pax-header', size: pax.length }) as Buffer);
      await this.write(pax);
      await this.pad(pax.length);
      block = encodeHeader(stub) as Buffer;
    }
    await this.write(block);
    if (size === 0) return;
    let written = 0;
    for await (const chunk of Buffer.isBuffer(body) ? [body] : (body ?? [])) {
      written += chunk.length;
      if (written > size) break;
      await this.write(chunk);
    }
    if (written !== size) throw new Error(`tar entry ${h.name}: size mismatch (${written} bytes for ${size})`);
    await this.pad(size);
  }

  /** Writes the end-of-archive blocks and ends the stream. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(2 * BLOCK));
    await this.flush();
    this.out.end();
  }

  /** Ends the stream with an error (the entries could not all be written). */
  fail(err: Error): void {
    this.out.destroy(err);
  }
}
