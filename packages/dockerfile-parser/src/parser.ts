// Dockerfile text → AST, line handling as in BuildKit's parser.Parse: directives, comments, line
// continuations (blank and comment lines inside them skipped), heredoc bodies.
import type { Comment, Directive, Dockerfile, Heredoc, Instruction, ParseWarning } from './ast.js';
import { checkEscapeToken, DirectiveScanner } from './directives.js';
import { DockerfileParseError } from './errors.js';
import { goTrimLeft, goTrimSpace } from './go-text.js';
import { HEREDOC_INSTRUCTIONS, heredocsFromLine } from './heredoc.js';
import { argParserFor, canonicalKeyword, INSTRUCTIONS } from './instructions.js';
import { splitCommand } from './split-command.js';
import { suggest } from './suggest.js';

export interface ParseOptions {
  /**
   * Accept instruction words Docker does not know, as Docker's low-level parser does (the builder
   * rejects them later). Default false: `unknown instruction: FOO` is a parse error.
   */
  allowUnknownInstructions?: boolean;
}

/** bufio.Scanner's default limit: a longer line makes Docker fail the whole parse. */
const MAX_LINE_BYTES = 64 * 1024;
const EMPTY_CONTINUATION_URL = 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/';

/** bytes.TrimRight(line, "\r\n"). */
function trimNewline(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === '\r')) end--;
  return end === s.length ? s : s.slice(0, end);
}

const isComment = (s: string): boolean => goTrimLeft(s).startsWith('#');

/** Physical lines, each with its \n (the last may have none). */
function splitLines(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * Docker's continuation rule, `([^e])e[ \t]*$|^e[ \t]*$`: the escape token ends the line (blanks may
 * follow) unless the token itself is escaped. Returns the line without it, or undefined.
 */
function stripContinuation(line: string, escapeToken: string): string | undefined {
  let k = line.length - 1;
  while (k >= 0 && (line[k] === ' ' || line[k] === '\t')) k--;
  if (k < 0 || line[k] !== escapeToken || (k > 0 && line[k - 1] === escapeToken)) return undefined;
  return line.slice(0, k);
}

function locate(err: unknown, startLine: number, endLine: number): DockerfileParseError {
  if (err instanceof DockerfileParseError) {
    return err.startLine > 0 ? err : new (err.constructor as typeof DockerfileParseError)(err.message, startLine, endLine);
  }
  return new DockerfileParseError(err instanceof Error ? err.message : String(err), startLine, endLine);
}

/** Builds one instruction from a logical line (also ONBUILD's trigger). */
function instructionFromLine(
  line: string,
  escapeToken: string,
  comments: string[],
  startLine: number,
  endLine: number,
  options: ParseOptions,
  nested: boolean,
): Instruction {
  const { keyword: rawKeyword, flags, rest } = splitCommand(line);
  const known = canonicalKeyword(rawKeyword);
  if (known === undefined && !nested && !options.allowUnknownInstructions) {
    const hint = suggest(rawKeyword, INSTRUCTIONS);
    const message = `unknown instruction: ${rawKeyword}` + (hint === undefined ? '' : ` (did you mean ${hint}?)`);
    throw new DockerfileParseError(message, startLine, endLine);
  }
  const instruction: Instruction = {
    keyword: known ?? rawKeyword.toUpperCase(),
    rawKeyword,
    original: line,
    startLine,
    endLine,
    flags,
    args: [],
    json: false,
    heredocs: [],
    comments,
  };
  if (known === 'ONBUILD') {
    if (rest !== '') instruction.subInstruction = instructionFromLine(rest, escapeToken, [], startLine, endLine, options, true);
    return instruction;
  }
  const parser = known === undefined ? undefined : argParserFor(known);
  if (parser === undefined) {
    // Docker keeps an unknown instruction with one empty argument node (it dumps as `(foo "")`).
    instruction.args = [''];
    return instruction;
  }
  const parsed = parser(rest, escapeToken);
  instruction.args = parsed.args;
  instruction.json = parsed.json;
  if (parsed.keyValues !== undefined) instruction.keyValues = parsed.keyValues;
  return instruction;
}

function canContainHeredoc(instruction: Instruction): boolean {
  const target = instruction.subInstruction ?? instruction;
  return HEREDOC_INSTRUCTIONS.has(target.keyword) && !target.json;
}

function setLines(instruction: Instruction, startLine: number, endLine: number): void {
  instruction.startLine = startLine;
  instruction.endLine = endLine;
  if (instruction.subInstruction !== undefined) setLines(instruction.subInstruction, startLine, endLine);
}

/** Parses a Dockerfile. Throws DockerfileParseError (only) with Docker's message and the line. */
export function parse(text: string, options: ParseOptions = {}): Dockerfile {
  const physical = splitLines(text);
  const lines = physical.map(trimNewline);
  const instructions: Instruction[] = [];
  const directives: Directive[] = [];
  const comments: Comment[] = [];
  const warnings: ParseWarning[] = [];
  const directiveScanner = new DirectiveScanner();
  let escapeToken = '\\';
  let prevComments: string[] = [];
  let current = 0; // physical lines consumed

  const readLine = (): string => {
    const raw = physical[current]!;
    current++;
    if (raw.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(raw, 'utf8') > MAX_LINE_BYTES) {
      throw new DockerfileParseError(`dockerfile line greater than max allowed size of ${MAX_LINE_BYTES - 1}`, current);
    }
    return current === 1 && raw.startsWith('\ufeff') ? raw.slice(1) : raw;
  };
  const noteComment = (raw: string): void => {
    comments.push({ text: goTrimSpace(goTrimLeft(raw).slice(1)), line: current });
  };
  const trimContinuation = (line: string): [string, boolean] => {
    const stripped = stripContinuation(line, escapeToken);
    return stripped === undefined ? [line, true] : [stripped, false];
  };

  while (current < physical.length) {
    const raw = readLine();
    const startLine = current;
    let token = goTrimLeft(trimNewline(raw));
    let isDirective = false;
    try {
      const directive = directiveScanner.scan(token, startLine);
      if (directive !== undefined) {
        isDirective = true;
        directives.push(directive);
        if (directive.name === 'escape') {
          escapeToken = checkEscapeToken(directive.value);
        }
      }
    } catch (err) {
      throw locate(err, startLine, startLine);
    }
    if (isComment(raw)) {
      // Docker's PrevComment: the comment block right above an instruction; a bare `#` resets it.
      const text = goTrimSpace(raw.slice(1));
      prevComments = text === '' ? [] : [...prevComments, text];
      if (isDirective) prevComments.pop();
      else noteComment(raw);
      token = '';
    }

    let [line, endOfLine] = trimContinuation(token);
    if (endOfLine && line === '') continue;

    let emptyContinuation = false;
    while (!endOfLine && current < physical.length) {
      const next = readLine();
      if (isComment(next)) {
        noteComment(next);
        continue;
      }
      const body = trimNewline(next);
      if (goTrimLeft(body) === '') {
        emptyContinuation = true;
        continue;
      }
      let part: string;
      [part, endOfLine] = trimContinuation(body);
      line += part;
    }
    if (emptyContinuation) {
      warnings.push({ message: `Empty continuation line found in: ${line}`, line: current, url: EMPTY_CONTINUATION_URL });
    }

    let instruction: Instruction;
    try {
      instruction = instructionFromLine(line, escapeToken, prevComments, startLine, current, options, false);
      if (canContainHeredoc(instruction) && line.includes('<<')) {
        for (const doc of heredocsFromLine(line)) instruction.heredocs.push(readHeredoc(doc));
      }
    } catch (err) {
      throw locate(err, startLine, current);
    }
    setLines(instruction, startLine, current);
    instructions.push(instruction);
    prevComments = [];
  }

  if (instructions.length === 0) throw new DockerfileParseError('file with no instructions', current);
  return { instructions, directives, comments, warnings, escapeToken, lines };

  function readHeredoc(doc: Omit<Heredoc, 'content'>): Heredoc {
    let content = '';
    while (current < physical.length) {
      const raw = readLine();
      let candidate = trimNewline(raw);
      if (doc.chomp) candidate = candidate.replace(/^\t+/, '');
      if (candidate === doc.name) return { ...doc, content };
      content += raw;
    }
    throw new DockerfileParseError('unterminated heredoc');
  }
}
