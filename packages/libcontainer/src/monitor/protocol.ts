/** The monitor socket's frames (native/src/monitor/protocol.h): type u8, length u32 BE, payload. */
export const Frame = {
  STDIN: 0,
  STDOUT: 1,
  STDERR: 2,
  EXIT: 3,
  START_RESULT: 4,
  OOM: 5,
  STDIN_CLOSE: 10,
  RESIZE: 11,
  SIGNAL: 12,
  SUBSCRIBE: 13,
  START: 14,
} as const;

export const HEADER = 5;
export const MAX_PAYLOAD = 65536;

export function encodeFrame(type: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(HEADER + payload.length);
  out[0] = type;
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, HEADER);
  return out;
}

/** Splits a byte stream into frames, keeping a partial one for the next chunk. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { type: number; payload: Buffer }[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: { type: number; payload: Buffer }[] = [];
    let off = 0;
    while (this.pending.length - off >= HEADER) {
      const len = this.pending.readUInt32BE(off + 1);
      if (this.pending.length - off < HEADER + len) break;
      frames.push({ type: this.pending[off] as number, payload: this.pending.subarray(off + HEADER, off + HEADER + len) });
      off += HEADER + len;
    }
    this.pending = this.pending.subarray(off);
    return frames;
  }
}
