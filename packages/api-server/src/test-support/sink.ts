import { Writable } from 'node:stream';

/** A writable that keeps what it is given, for checking a command's or a stream's output. */
export function sink(): { stream: Writable; text: () => string; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
    text: () => Buffer.concat(chunks).toString(),
    bytes: () => Buffer.concat(chunks),
  };
}
