import { closeSync, constants, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import { encodeFrame, Frame, FrameDecoder, MAX_PAYLOAD } from './protocol.js';

export interface MonitorEvents {
  onStdout?: (data: Buffer) => void;
  onStderr?: (data: Buffer) => void;
  onExit?: (exitJson: string) => void;
  /** the kernel OOM-killed (v2) or is OOM-killing (v1) a process of the container */
  onOom?: () => void;
  /** The connection ended without an exit frame (the monitor is gone). */
  onClose?: () => void;
}

/** sizeof(sockaddr_un.sun_path) on Linux, the terminating NUL included. */
const SUN_PATH_MAX = 108;

/** A connection to a container's monitor socket. */
export class MonitorConnection {
  private readonly decoder = new FrameDecoder();
  private readonly startWaiters: ((reply: string) => void)[] = [];
  private exited = false;

  private constructor(
    readonly socket: Socket,
    private readonly events: MonitorEvents,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) this.dispatch(f.type, f.payload);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      for (const w of this.startWaiters.splice(0)) w('1\t32\tmonitor connection closed');
      if (!this.exited) events.onClose?.();
    });
  }

  /** Connects; rejects with the socket error (ENOENT/ECONNREFUSED once the monitor has exited). */
  static open(path: string, events: MonitorEvents = {}): Promise<MonitorConnection> {
    // A path longer than sun_path (108 bytes) is reached through /proc/self/fd of its directory.
    const dirFd = Buffer.byteLength(path) >= SUN_PATH_MAX ? openSync(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY) : undefined;
    const target = dirFd === undefined ? path : `/proc/self/fd/${dirFd}/${basename(path)}`;
    return new Promise<MonitorConnection>((resolve, reject) => {
      const socket = connect(target);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new MonitorConnection(socket, events));
      });
    }).finally(() => {
      if (dirFd !== undefined) closeSync(dirFd);
    });
  }

  private dispatch(type: number, payload: Buffer): void {
    if (type === Frame.STDOUT) this.events.onStdout?.(payload);
    else if (type === Frame.STDERR) this.events.onStderr?.(payload);
    else if (type === Frame.EXIT) {
      this.exited = true;
      this.events.onExit?.(payload.toString('utf8'));
    } else if (type === Frame.START_RESULT) this.startWaiters.shift()?.(payload.toString('utf8'));
    else if (type === Frame.OOM) this.events.onOom?.();
  }

  private send(type: number, payload?: Buffer): void {
    // Once the monitor has exited (its EOF ended this side too) there is no one to tell.
    if (this.socket.writable) this.socket.write(encodeFrame(type, payload));
  }

  subscribe(stdout: boolean, stderr: boolean): void {
    this.send(Frame.SUBSCRIBE, Buffer.from([(stdout ? 1 : 0) | (stderr ? 2 : 0)]));
  }

  /** Asks the init to exec; resolves "" on success, else "EXIT\tERRNO\tSTEP". */
  start(): Promise<string> {
    return new Promise((resolve) => {
      this.startWaiters.push(resolve);
      this.send(Frame.START);
    });
  }

  writeStdin(data: Buffer): void {
    for (let off = 0; off < data.length; off += MAX_PAYLOAD) this.send(Frame.STDIN, data.subarray(off, off + MAX_PAYLOAD));
  }

  closeStdin(): void {
    this.send(Frame.STDIN_CLOSE);
  }

  resize(rows: number, cols: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt16BE(rows, 0);
    b.writeUInt16BE(cols, 2);
    this.send(Frame.RESIZE, b);
  }

  signal(signo: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(signo, 0);
    this.send(Frame.SIGNAL, b);
  }

  close(): void {
    this.socket.end();
  }
}
