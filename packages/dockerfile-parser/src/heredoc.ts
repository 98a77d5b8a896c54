// Here-documents (BuildKit parser.go: heredocsFromLine, ParseHeredoc).
import type { Heredoc } from './ast.js';
import { ShellLex } from './shell-lex.js';

const HEREDOC = /^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$/;
const NO_ENV: readonly string[] = [];

/** The instructions whose shell-form lines may carry heredocs. */
export const HEREDOC_INSTRUCTIONS: ReadonlySet<string> = new Set(['ADD', 'COPY', 'RUN']);

const lineLexer = new ShellLex({ rawQuotes: true, rawEscapes: true, skipUnsetEnv: true, heredocWords: true });
const nameLexer = new ShellLex({ skipUnsetEnv: true });
const rawNameLexer = new ShellLex({ skipUnsetEnv: true, rawQuotes: true });

const countQuotes = (s: string): number => {
  let n = 0;
  for (const ch of s) if (ch === "'" || ch === '"') n++;
  return n;
};

/**
 * Reads one word such as `<<EOF`, `<<-'EOF'`, `3<<EOF`: undefined when it is not a heredoc.
 * Throws (Docker's lexer message) for an unterminated quote in the terminator.
 */
export function parseHeredoc(word: string): Omit<Heredoc, 'content'> | undefined {
  const match = HEREDOC.exec(word);
  if (match === null) return undefined;
  const rest = match[3] ?? '';
  if (rest === '') return undefined;
  const words = nameLexer.processWords(rest, NO_ENV);
  if (words.length !== 1) return undefined;
  const raw = rawNameLexer.processWords(rest, NO_ENV);
  const name = words[0]!;
  return {
    name,
    fileDescriptor: match[1] === '' ? 0 : Number.parseInt(match[1]!, 10),
    chomp: match[2] === '-',
    // Quotes that disappear when the lexer removes them mean part of the word was quoted.
    expand: countQuotes(name) === countQuotes(raw[0] ?? ''),
  };
}

/** The heredocs a logical line opens, in order. */
export function heredocsFromLine(line: string): Omit<Heredoc, 'content'>[] {
  let words: string[];
  try {
    words = lineLexer.processWords(line, NO_ENV);
  } catch {
    return [];
  }
  const docs: Omit<Heredoc, 'content'>[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc !== undefined) docs.push(doc);
  }
  return docs;
}

/** What `<<-` does to a body: leading tabs removed from every line. */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gm, '');
}
