// Reading what the user gives the CLI on stdin: a whole stream, or one line typed at a prompt.
import type { CliIO } from './command.js';
import { ExitError } from './command.js';
import { setRawTerminal } from './term.js';

/** Everything a stream gives until its end. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/**
 * Reads one line typed after `text` (or what stdin holds before its end); with `secret`, in raw
 * mode so that it is not echoed (Enter ends it, Backspace edits, Ctrl-C gives up).
 */
export function prompt(io: CliIO, text: string, secret: boolean): Promise<string> {
  io.stdout.write(text);
  const restore = secret ? setRawTerminal(io.stdin, io.env) : () => undefined;
  return new Promise<string>((resolve, reject) => {
    let line = '';
    const finish = (err?: Error): void => {
      io.stdin.off('data', onData);
      io.stdin.off('end', onEnd);
      io.stdin.pause();
      restore();
      if (secret) io.stdout.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onEnd = (): void => finish();
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new ExitError(130));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    io.stdin.on('data', onData);
    io.stdin.once('end', onEnd);
    io.stdin.resume();
  });
}
