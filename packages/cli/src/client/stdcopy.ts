import type { Readable, Writable } from 'node:stream';

export interface StdFrame {
  /** 0 stdin, 1 stdout, 2 stderr. */
  stream: number;
  payload: Buffer;
}

/**
 * Splits a multiplexed attach/exec/logs stream into its frames: an 8-byte header (stream type,
 * three zero bytes, big-endian uint32 length) then the payload. Chunks may cut frames anywhere.
 */
export class StdcopyDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): StdFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: StdFrame[] = [];
    while (this.buffered.length >= 8) {
      const stream = this.buffered[0] as number;
      // Go's stdcopy.StdCopy refuses anything but stdin, stdout and stderr.
      if (stream > 2) throw new Error(`Unrecognized input header: ${stream}`);
      const length = this.buffered.readUInt32BE(4);
      if (this.buffered.length < 8 + length) break;
      frames.push({ stream, payload: this.buffered.subarray(8, 8 + length) });
      this.buffered = this.buffered.subarray(8 + length);
    }
    return frames;
  }

  /** True when the stream stopped inside a frame. */
  get partial(): boolean {
    return this.buffered.length > 0;
  }
}

/** Copies a multiplexed stream to stdout and stderr (stream 0 and 1 go to stdout), like StdCopy. */
export function demuxStream(source: Readable, stdout: Writable, stderr: Writable): Promise<void> {
  const decoder = new StdcopyDecoder();
  return new Promise((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      let frames: StdFrame[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        source.destroy();
        reject(err as Error);
        return;
      }
      for (const f of frames) (f.stream === 2 ? stderr : stdout).write(f.payload);
    });
    source.once('end', () => resolve());
    source.once('close', () => resolve());
    source.once('error', reject);
  });
}
