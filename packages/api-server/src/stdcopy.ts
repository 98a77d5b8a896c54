import { Writable } from 'node:stream';

/** The stream a stdcopy frame carries (moby pkg/stdcopy). */
export const StdStream = { stdin: 0, stdout: 1, stderr: 2 } as const;
export type StdStreamType = (typeof StdStream)[keyof typeof StdStream];

/** Length of the frame header: stream type, three zero bytes, big-endian uint32 payload length. */
export const STDCOPY_HEADER_LENGTH = 8;

/** One multiplexed frame: the 8-byte header followed by the payload. */
export function stdcopyFrame(stream: StdStreamType, payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(STDCOPY_HEADER_LENGTH + payload.length);
  frame.writeUInt32BE(0, 0);
  frame[0] = stream;
  frame.writeUInt32BE(payload.length, 4);
  frame.set(payload, STDCOPY_HEADER_LENGTH);
  return frame;
}

/**
 * A writable that frames every chunk written to it as `stream` onto `out`, like Go's
 * stdcopy.NewStdWriter. Ending it does not end `out`: stdout and stderr share one connection.
 * Writes after `out` is closed are dropped.
 */
export function stdcopyWriter(out: Writable, stream: StdStreamType): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (chunk.length === 0) {
        callback();
        return;
      }
      // Once the client is gone output has nowhere to go; the handler learns it from its
      // context's signal, not from an error on every writer.
      if (out.writableEnded || out.destroyed) {
        callback();
        return;
      }
      out.write(stdcopyFrame(stream, chunk), () => callback());
    },
  });
}
