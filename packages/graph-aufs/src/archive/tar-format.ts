/**
 * The tar header block and PAX records, both ways. PAX values are raw bytes: xattrs such as
 * `security.capability` are binary, and a record's length counts bytes (POSIX pax, Go's archive/tar).
 */

export const BLOCK = 512;

/** Entry kinds, named as tar-stream names them. */
export type EntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'contiguous-file';

const TYPEFLAGS: Record<EntryType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  'character-device': '3',
  'block-device': '4',
  directory: '5',
  fifo: '6',
  'contiguous-file': '7',
};
const TYPES = new Map<string, EntryType>(Object.entries(TYPEFLAGS).map(([type, flag]) => [flag, type as EntryType]));

/** Typeflags of the meta entries that describe the next one. */
export const PAX_FLAG = 'x';
export const PAX_GLOBAL_FLAG = 'g';
export const GNU_LONGNAME_FLAG = 'L';
export const GNU_LONGLINK_FLAG = 'K';

export const XATTR_PAX = 'SCHILY.xattr.';

/** One header block as stored: `type` is null for typeflags that are not entries (meta and unknown). */
export interface RawHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: Date;
  typeflag: string;
  type: EntryType | null;
  linkname: string;
  devmajor: number;
  devminor: number;
}

/** A header to write: unset fields are 0 or empty. */
export interface HeaderFields {
  name: string;
  type: EntryType | 'pax-header';
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtime: Date;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

export class TarHeaderError extends Error {
  constructor() {
    // Docker's message for a corrupt archive (Go's archive/tar ErrHeader).
    super('archive/tar: invalid tar header');
  }
}

/** The header's sum with the checksum field counted as spaces, unsigned and signed (old tars). */
function checksums(block: Buffer): [number, number] {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return [unsigned, signed];
}

function str(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

/** An octal field, or GNU's base-256 (high bit set) for values that do not fit. */
function num(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if (((field[0] as number) & 0x80) !== 0) {
    // Big-endian two's complement with the marker bit cleared.
    let n = (field[0] as number) & 0x7f;
    if (n & 0x40) n -= 0x80;
    for (let i = 1; i < length; i++) n = n * 256 + (field[i] as number);
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarHeaderError();
  return parseInt(text, 8);
}

/** Decodes a header block; null for an all-zero block (end of archive). */
export function decodeHeader(block: Buffer): RawHeader | null {
  if (block.every((b) => b === 0)) return null;
  const sum = num(block, 148, 8);
  if (!checksums(block).includes(sum)) throw new TarHeaderError();
  let name = str(block, 0, 100);
  // ustar splits long names into prefix/name; GNU tar keeps other fields where the prefix would be.
  if (block.toString('latin1', 257, 263) === 'ustar\0' && block[345] !== 0) name = `${str(block, 345, 155)}/${name}`;
  const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156] as number);
  return {
    name,
    mode: num(block, 100, 8),
    uid: num(block, 108, 8),
    gid: num(block, 116, 8),
    size: num(block, 124, 12),
    mtime: new Date(num(block, 136, 12) * 1000),
    typeflag,
    type: TYPES.get(typeflag) ?? null,
    linkname: str(block, 157, 100),
    devmajor: num(block, 329, 8),
    devminor: num(block, 337, 8),
  };
}

function octal(value: number, digits: number): string {
  const text = value.toString(8);
  return text.length > digits ? `${'7'.repeat(digits)} ` : `${text.padStart(digits, '0')} `;
}

/**
 * Encodes a ustar header block, byte for byte as tar-stream 3 does (so layer tars keep the bytes
 * they always had); null when the name or link name does not fit, which calls for a PAX header.
 */
export function encodeHeader(h: HeaderFields): Buffer | null {
  let name = h.name;
  let prefix = '';
  if (Buffer.byteLength(name) !== name.length) return null;
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return null;
    prefix += prefix ? `/${name.slice(0, slash)}` : name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  const linkname = h.linkname ?? '';
  if (prefix.length > 155 || Buffer.byteLength(linkname) > 100) return null;
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0);
  block.write(octal((h.mode ?? 0) & 0o7777, 6), 100);
  block.write(octal(h.uid ?? 0, 6), 108);
  block.write(octal(h.gid ?? 0, 6), 116);
  const size = h.size ?? 0;
  if (size.toString(8).length > 11) {
    block[124] = 0x80;
    for (let i = 11, n = size; i > 0; i--, n = Math.floor(n / 256)) block[124 + i] = n % 256;
  } else {
    block.write(octal(size, 11), 124);
  }
  block.write(octal((h.mtime.getTime() / 1000) | 0, 11), 136);
  block.write(h.type === 'pax-header' ? PAX_FLAG : TYPEFLAGS[h.type], 156);
  block.write(linkname, 157);
  block.write('ustar\x0000', 257, 'latin1');
  block.write(octal(h.devmajor ?? 0, 6), 329);
  block.write(octal(h.devminor ?? 0, 6), 337);
  if (prefix) block.write(prefix, 345);
  block.write(octal(checksums(block)[0], 6), 148);
  return block;
}

/** One PAX record, `"<len> <key>=<value>\n"`, where len counts every byte including its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let digits = String(body.length).length;
  if (body.length + digits >= 10 ** digits) digits++;
  return Buffer.concat([Buffer.from(String(body.length + digits)), body]);
}

export function encodePax(records: Iterable<[string, Buffer]>): Buffer {
  return Buffer.concat([...records].map(([key, value]) => paxRecord(key, value)));
}

/** Parses PAX records, keeping each value's bytes as they are. */
export function decodePax(data: Buffer): Map<string, Buffer> {
  const records = new Map<string, Buffer>();
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = space > 0 && space < 20 ? Number(rest.toString('latin1', 0, space)) : NaN;
    if (!Number.isInteger(length) || length <= space + 1 || length > rest.length || rest[length - 1] !== 0x0a) throw new TarHeaderError();
    const record = rest.subarray(space + 1, length - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new TarHeaderError();
    records.set(record.toString('utf8', 0, eq), Buffer.from(record.subarray(eq + 1)));
    rest = rest.subarray(length);
  }
  return records;
}

/**
 * Files up to this size are read or written in one synchronous call when packing and unpacking:
 * a stream's open, reads and close each go through the thread pool, which for many small files
 * costs far more than the copy.
 */
export const SMALL_FILE = 1 << 20;
