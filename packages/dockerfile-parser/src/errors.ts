/**
 * The only exception this package throws. `message` is Docker's own text (BuildKit's parser, e.g.
 * `ENV must have two arguments`); `startLine`/`endLine` are the 1-based lines of the instruction or
 * directive at fault (0 when the input has no lines, e.g. an empty Dockerfile).
 */
export class DockerfileParseError extends Error {
  override readonly name: string = 'DockerfileParseError';
  readonly startLine: number;
  readonly endLine: number;

  constructor(message: string, startLine = 0, endLine = startLine) {
    super(message);
    this.startLine = startLine;
    this.endLine = Math.max(endLine, startLine);
  }

  /** The way `docker build` reports it: `dockerfile parse error on line 3: ENV must have two arguments`. */
  describe(): string {
    return this.startLine > 0 ? `dockerfile parse error on line ${this.startLine}: ${this.message}` : this.message;
  }
}

/** A shell-word expansion failure (`${}`, an unterminated quote, `${X:?}` on an empty X, ...). */
export class ShellExpansionError extends DockerfileParseError {
  override readonly name: string = 'ShellExpansionError';
}
