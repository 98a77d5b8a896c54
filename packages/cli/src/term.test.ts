import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { setRawTerminal, watchTerminalSize } from './term.js';

const TERM_JS = fileURLToPath(new URL('../dist/term.js', import.meta.url));

// The parent side of a real pseudo-terminal: python's pty module runs node on the slave end,
// sets the window size from the master and collects what node prints.
const PTY_DRIVER = String.raw`
import fcntl, os, pty, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
out = b''
deadline = time.time() + 15
resized = False
while time.time() < deadline:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not resized and b'READY' in out:
        resized = True
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 120, 0, 0))
os.waitpid(pid, 0)
sys.stdout.write(out.decode())
`;

// Runs on the pty: raw mode on and off as stty sees it, then the sizes seen around a SIGWINCH.
const CHILD = `
const { execFileSync } = await import('node:child_process');
const { setRawTerminal, watchTerminalSize } = await import(${JSON.stringify(TERM_JS)});
const stty = () => execFileSync('stty', ['-a'], { stdio: ['inherit', 'pipe', 'pipe'] }).toString();
const modes = (t) => ({ icanon: !/-icanon/.test(t), echo: !/-echo\\b/.test(t), opost: !/-opost/.test(t) });
const before = modes(stty());
const restore = setRawTerminal(process.stdin, {});
const during = modes(stty());
restore();
const after = modes(stty());
const sizes = [];
const stop = watchTerminalSize(process.stdout, (s) => {
  sizes.push(s);
  if (s.height === 50) {
    stop();
    process.stdout.write('RESULT ' + JSON.stringify({ before, during, after, sizes }) + '\\n');
    process.exit(0);
  }
});
process.stdout.write('READY\\n');
setTimeout(() => process.exit(2), 10000);
`;

describe.skipIf(!existsSync('/usr/bin/python3') || !existsSync(TERM_JS))('terminal on a real pty', () => {
  it('enters and leaves raw mode and follows SIGWINCH resizes', async () => {
    const r = await promisify(execFile)('python3', ['-c', PTY_DRIVER, process.execPath, '--input-type=module', '-e', CHILD], {
      timeout: 20_000,
    });
    const line = r.stdout.split(/\r?\n/).find((l) => l.startsWith('RESULT '));
    expect(line, r.stdout).toBeDefined();
    const result = JSON.parse((line as string).slice('RESULT '.length)) as Record<string, unknown>;
    expect(result).toEqual({
      before: { icanon: true, echo: true, opost: true },
      during: { icanon: false, echo: false, opost: false },
      after: { icanon: true, echo: true, opost: true },
      sizes: [
        { height: 24, width: 80 },
        { height: 50, width: 120 },
      ],
    });
  });
});

describe('terminal helpers off a terminal', () => {
  it('leave pipes alone and honour NORAW', () => {
    const calls: boolean[] = [];
    const tty = { isTTY: true, isRaw: false, setRawMode: (m: boolean) => calls.push(m) };
    setRawTerminal({ isTTY: false })();
    setRawTerminal(tty, { NORAW: '1' })();
    expect(calls).toEqual([]);
    const restore = setRawTerminal(tty, {});
    restore();
    restore();
    expect(calls).toEqual([true, false]);
    const out = Object.assign(new EventEmitter(), { isTTY: false });
    const seen: unknown[] = [];
    watchTerminalSize(out, (s) => seen.push(s))();
    expect(seen).toEqual([]);
  });
});
