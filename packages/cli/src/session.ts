import type { Readable, Writable } from 'node:stream';
import type { HijackedConnection } from './client/client.js';
import { demuxStream } from './client/stdcopy.js';
import { DEFAULT_DETACH_KEYS, DetachDetector } from './detach.js';
import { setRawTerminal } from './term.js';
import type { TtyInput } from './term.js';

export interface StreamSessionOptions {
  connection: HijackedConnection;
  /** The container (or exec) has a TTY: its output is raw, not stdcopy-framed. */
  tty: boolean;
  /** Sent to the container when attaching stdin; a terminal goes raw for the session. */
  stdin?: Readable & TtyInput;
  stdout: Writable;
  stderr: Writable;
  detachKeys?: readonly number[];
  env?: NodeJS.ProcessEnv;
}

export interface StreamSessionResult {
  /** The user typed the detach keys: the container keeps running. */
  detached: boolean;
}

/**
 * The client half of an attach or exec (docker 1.7's `cli.hijack`): stdin goes up the
 * connection through the detach-key watch and is half-closed at its end; the output comes down
 * raw (TTY) or demultiplexed to stdout and stderr. The terminal is raw meanwhile and restored
 * after. Resolves when the output ends (and, for piped stdin, when all of it was sent).
 */
export async function runStreamSession(opts: StreamSessionOptions): Promise<StreamSessionResult> {
  const { socket } = opts.connection;
  const stdin = opts.stdin;
  const restore = stdin && opts.tty ? setRawTerminal(stdin, opts.env) : () => undefined;
  let detached = false;
  let stopInput = (): void => undefined;
  try {
    const received = opts.tty
      ? new Promise<void>((resolve, reject) => {
          socket.on('data', (c: Buffer) => opts.stdout.write(c));
          socket.once('end', resolve);
          socket.once('close', resolve);
          socket.once('error', reject);
        })
      : demuxStream(socket, opts.stdout, opts.stderr);

    const sent = new Promise<void>((resolve) => {
      if (!stdin) {
        resolve();
        return;
      }
      const detector = new DetachDetector(opts.detachKeys ?? DEFAULT_DETACH_KEYS);
      const onData = (chunk: Buffer | string): void => {
        const { forward, detached: hit } = detector.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (forward.length > 0 && !socket.destroyed) socket.write(forward);
        if (hit) {
          detached = true;
          stopInput();
          socket.destroy();
          resolve();
        }
      };
      const onEnd = (): void => {
        stopInput();
        // Half-close: the container sees EOF on stdin while its output keeps coming.
        if (!socket.destroyed) socket.end();
        resolve();
      };
      stopInput = () => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
      };
      stdin.on('data', onData);
      stdin.once('end', onEnd);
    });

    await Promise.race([received, sent.then(() => (detached ? undefined : received))]);
    // A terminal's stdin never ends on its own: the session is over when the output is.
    if (!detached && !stdin?.isTTY) await sent;
    return { detached };
  } finally {
    stopInput();
    restore();
  }
}
