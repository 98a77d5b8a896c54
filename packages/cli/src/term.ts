/** The parts of a terminal input stream raw mode needs (process.stdin when it is a TTY). */
export interface TtyInput {
  isTTY?: boolean;
  /** The terminal's descriptor (process.stdin's 0), for what setRawMode leaves on. */
  fd?: number;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** The parts of a terminal output stream resizing needs (process.stdout when it is a TTY). */
export interface TtyOutput {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface TerminalSize {
  height: number;
  width: number;
}

/**
 * Puts a terminal into raw mode for an interactive attach (no echo, no line editing, signals as
 * bytes); returns the function that restores its previous mode. Nothing happens when the input
 * is not a terminal or NORAW is set (docker's escape hatch).
 */
export function setRawTerminal(input: TtyInput, env: NodeJS.ProcessEnv = process.env): () => void {
  if (!input.isTTY || !input.setRawMode || env['NORAW']) return () => undefined;
  const wasRaw = input.isRaw === true;
  input.setRawMode(true);
  // libuv's raw mode keeps output processing (ONLCR: "\n" printed as "\r\n"), docker's does not:
  // a container's "\r\n" would reach the screen as "\r\r\n". setRawMode(false) restores it.
  if (input.fd !== undefined) {
    try {
      // Loaded here, not at import: every CLI run would pay for node:child_process otherwise.
      const { execFileSync } = process.getBuiltinModule('node:child_process');
      execFileSync('stty', ['-opost'], { stdio: [input.fd, 'ignore', 'ignore'] });
    } catch {
      // no stty: output processing stays on
    }
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    input.setRawMode?.(wasRaw);
  };
}

/** The terminal's size, or undefined when the output is not a terminal. */
export function terminalSize(output: TtyOutput): TerminalSize | undefined {
  if (!output.isTTY || !output.rows || !output.columns) return undefined;
  return { height: output.rows, width: output.columns };
}

/**
 * Calls `onSize` with the size now and after every SIGWINCH (node turns it into the stream's
 * 'resize' event), as docker does to keep a container's TTY the size of the terminal.
 * Returns the function that stops watching.
 */
export function watchTerminalSize(output: TtyOutput, onSize: (size: TerminalSize) => void): () => void {
  if (!output.isTTY) return () => undefined;
  const report = (): void => {
    const size = terminalSize(output);
    if (size) onSize(size);
  };
  report();
  output.on('resize', report);
  return () => output.off('resize', report);
}
