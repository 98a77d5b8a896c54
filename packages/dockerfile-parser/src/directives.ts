// Parser directives: `# name=value` lines before anything else (BuildKit parser/directives.go).
import type { Directive } from './ast.js';
import { goTrimLeft } from './go-text.js';

const KNOWN = new Set(['syntax', 'escape', 'check']);
// Go's \s is [\t\n\f\r ] and its `.` stops only at \n.
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/;

export class DirectiveScanner {
  private done = false;
  private readonly seen = new Set<string>();

  /**
   * Looks at one line (leading blanks and line ending already removed). Returns the directive it
   * holds, or undefined; the first line that is not a directive ends the directive block for good.
   * Throws a plain Error with Docker's message for a repeated directive.
   */
  scan(line: string, lineNumber: number): Directive | undefined {
    if (this.done) return undefined;
    if (!line.startsWith('#')) {
      this.done = true;
      return undefined;
    }
    const match = DIRECTIVE.exec(goTrimLeft(line.slice(1)));
    const name = match?.[1]?.toLowerCase();
    if (match === null || name === undefined || !KNOWN.has(name)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(name)) throw new Error(`only one ${name} parser directive can be used`);
    this.seen.add(name);
    return { name, value: match[2] ?? '', line: lineNumber };
  }
}

export function checkEscapeToken(token: string): string {
  if (token !== '`' && token !== '\\') throw new Error(`invalid escape token '${token}' does not match \` or \\`);
  return token;
}
