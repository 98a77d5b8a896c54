// Docker's shell-word lexer (BuildKit frontend/dockerfile/shell): quote removal, escapes,
// `$VAR`/`${VAR…}` expansion and word splitting, as the builder applies them to ENV, LABEL,
// ADD, COPY, WORKDIR, EXPOSE, VOLUME, USER, ARG, FROM and friends.
import { ShellExpansionError } from './errors.js';
import { goQuote, isGoDigit, isGoLetter, isGoSpace } from './go-text.js';
import { expandGoTemplate, shellPatternToRegExp, trimPrefix, trimSuffix } from './shell-pattern.js';

/** Variables in one of the shapes callers have at hand: a map, a record, or Docker's `K=V` list. */
export type ShellEnv = ReadonlyMap<string, string> | Readonly<Record<string, string>> | readonly string[];

export interface ShellLexOptions {
  /** The Dockerfile's escape token, `\` (default) or `` ` ``. */
  escapeToken?: string;
  /** Keep quote characters in the output (quotes still group words). */
  rawQuotes?: boolean;
  /** Keep escape characters in the output. */
  rawEscapes?: boolean;
  /** Treat quotes as ordinary characters (heredoc bodies). */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written instead of expanding them to "". */
  skipUnsetEnv?: boolean;
  /** Keep `<<` and the blanks after it in the same word (heredoc detection). */
  heredocWords?: boolean;
}

export interface ShellWordResult {
  /** The expanded text, spaces kept. */
  result: string;
  /** The expanded text split into words (quotes keep words together). */
  words: string[];
  /** Variables referenced and set. */
  matched: Set<string>;
  /** Variables referenced but unset. */
  unmatched: Set<string>;
}

const EOF = undefined;
type Ch = string | undefined;

function toLookup(env: ShellEnv): (name: string) => string | undefined {
  if (env instanceof Map) return (name) => env.get(name);
  if (Array.isArray(env)) {
    const map = new Map<string, string>();
    for (const entry of env as readonly string[]) {
      const eq = entry.indexOf('=');
      // Later entries win, as in the builder's environment.
      if (eq < 0) map.set(entry, '');
      else map.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return (name) => map.get(name);
  }
  const record = env as Readonly<Record<string, string>>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}

/** Collects characters into words the way the lexer splits them (only unquoted, expanded blanks split). */
class WordCollector {
  private buf = '';
  private inWord = false;
  readonly words: string[] = [];

  addChar(ch: string): void {
    if (isGoSpace(ch)) {
      if (this.inWord && this.buf.length > 0) {
        this.words.push(this.buf);
        this.buf = '';
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRaw(s: string): void {
    this.buf += s;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.buf.length > 0) {
      this.words.push(this.buf);
      this.buf = '';
      this.inWord = false;
    }
    return this.words;
  }
}

class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();

  constructor(
    word: string,
    private readonly lookup: (name: string) => string | undefined,
    private readonly opts: Required<ShellLexOptions>,
  ) {
    this.chars = Array.from(word);
    this.rawEscapes = opts.rawEscapes;
  }

  private peek(): Ch {
    return this.chars[this.pos];
  }

  private next(): Ch {
    const ch = this.chars[this.pos];
    if (ch !== EOF) this.pos++;
    return ch;
  }

  run(): { result: string; words: string[] } {
    return this.processStopOn(EOF, this.rawEscapes);
  }

  private processStopOn(stop: Ch, rawEscapes: boolean): { result: string; words: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      let result = '';
      const words = new WordCollector();
      for (let ch = this.peek(); ch !== EOF; ch = this.peek()) {
        if (stop !== EOF && ch === stop) {
          this.next();
          return { result, words: words.finish() };
        }
        if (ch === '$') {
          const value = this.processDollar();
          result += value;
          words.addString(value);
        } else if (!this.opts.skipProcessQuotes && (ch === "'" || ch === '"')) {
          const value = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          result += value;
          words.addRaw(value);
        } else if (this.opts.heredocWords && ch === '<') {
          const value = this.processPossibleHeredoc();
          result += value;
          words.addRaw(value);
        } else {
          let c = this.next()!;
          if (c === this.opts.escapeToken) {
            if (this.rawEscapes) {
              words.addRaw(c);
              result += c;
            }
            const escaped = this.next();
            if (escaped === EOF) break;
            c = escaped;
            words.addRaw(c);
          } else {
            words.addChar(c);
          }
          result += c;
        }
      }
      if (stop !== EOF) {
        throw new Error(`unexpected end of statement while looking for matching ${stop}`);
      }
      return { result, words: words.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    // Everything up to the next ' is literal; a ' cannot be escaped inside.
    let result = this.opts.rawQuotes ? this.next()! : (this.next(), '');
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return this.opts.rawQuotes ? result + ch : result;
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // Literal except $ (expanded) and the escape token before " $ or itself.
    let result = this.opts.rawQuotes ? this.next()! : (this.next(), '');
    for (;;) {
      const peeked = this.peek();
      if (peeked === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (peeked === '"') {
        this.next();
        return this.opts.rawQuotes ? result + '"' : result;
      }
      if (peeked === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next()!;
      if (ch === this.opts.escapeToken) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue;
        if (after === '"' || after === '$' || after === this.opts.escapeToken) ch = this.next()!;
      }
      result += ch;
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let result = '<<';
    for (let ch = this.peek(); ch === ' ' || ch === '\t'; ch = this.peek()) result += this.next();
    return result;
  }

  private getEnv(name: string): string | undefined {
    const value = this.lookup(name);
    (value === undefined ? this.unmatched : this.matched).add(name);
    return value;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return '$' + name;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');

    const name = this.processName();
    let ch = this.next();
    // Go prints a missing rune (EOF) as U+FFFD.
    let modifier = ch ?? '\ufffd';
    if (ch === '}') {
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + '}';
      return value ?? '';
    }
    if (ch === '/') return this.processReplace(name);

    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next();
      modifier += ch ?? '\ufffd';
    } else if (ch !== '+' && ch !== '-' && ch !== '?' && ch !== '#' && ch !== '%') {
      throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
    const patternModifier = ch === '#' || ch === '%';
    if (nullIsUnset && patternModifier) throw new Error(`unsupported modifier (${modifier}) in substitution`);

    let word: string;
    try {
      word = this.processStopOn('}', patternModifier).result;
    } catch (err) {
      if (this.peek() === EOF) throw new Error("syntax error: missing '}'");
      throw err;
    }

    const value = this.getEnv(name);
    if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + modifier + word + '}';
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return unset ? word : value!;
      case '+':
        return unset ? '' : word;
      case '?':
        if (value === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
        if (unset) throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      case '#':
      case '%': {
        // `#`/`%` remove the shortest match, `##`/`%%` the longest.
        const greedy = word.startsWith(ch);
        const pattern = greedy ? word.slice(1) : word;
        return ch === '%' ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
      }
      default:
        throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
  }

  /** `${VAR/pattern/replacement}` and `${VAR//pattern/replacement}`. */
  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    try {
      pattern = this.processStopOn('/', true).result;
    } catch (err) {
      if (this.peek() === EOF) throw new Error("syntax error: missing '/' in ${}");
      throw err;
    }
    let replacement: string;
    try {
      replacement = this.processStopOn('}', true).result;
    } catch (err) {
      if (this.peek() === EOF) throw new Error("syntax error: missing '}'");
      throw err;
    }
    const value = this.getEnv(name);
    if (value === undefined && this.opts.skipUnsetEnv) return '${' + name + '/' + pattern + '/' + replacement + '}';
    const re = shellPatternToRegExp(pattern, true, false, all);
    // `//` goes through Go's ReplaceAllString, which reads `$` references in the replacement; `/` splices it in as is.
    return (value ?? '').replace(re, (match) => (all ? expandGoTemplate(replacement, match) : replacement));
  }

  private processName(): string {
    // A name is letters, digits and _; a leading digit reads all digits; a special parameter is one char.
    let name = '';
    for (let ch = this.peek(); ch !== EOF; ch = this.peek()) {
      if (name === '' && isGoDigit(ch)) {
        while (this.peek() !== EOF && isGoDigit(this.peek()!)) name += this.next();
        return name;
      }
      if (name === '' && '@*#?-$!0'.includes(ch)) return this.next()!;
      if (!isGoLetter(ch) && !isGoDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }
}

/** A configured lexer; cheap to create, safe to reuse. */
export class ShellLex {
  private readonly opts: Required<ShellLexOptions>;

  constructor(options: ShellLexOptions = {}) {
    this.opts = {
      escapeToken: options.escapeToken ?? '\\',
      rawQuotes: options.rawQuotes ?? false,
      rawEscapes: options.rawEscapes ?? false,
      skipProcessQuotes: options.skipProcessQuotes ?? false,
      skipUnsetEnv: options.skipUnsetEnv ?? false,
      heredocWords: options.heredocWords ?? false,
    };
  }

  /** Expands `word`; throws ShellExpansionError with Docker's message on malformed input. */
  process(word: string, env: ShellEnv): ShellWordResult {
    const sw = new ShellWord(word, toLookup(env), this.opts);
    try {
      const { result, words } = sw.run();
      return { result, words, matched: sw.matched, unmatched: sw.unmatched };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ShellExpansionError(`failed to process ${goQuote(word)}: ${reason}`);
    }
  }

  processWord(word: string, env: ShellEnv): string {
    return this.process(word, env).result;
  }

  processWords(word: string, env: ShellEnv): string[] {
    return this.process(word, env).words;
  }
}

/** Docker's `ProcessWord`: expand variables, remove quotes and escapes. */
export function expandWord(word: string, env: ShellEnv, options: ShellLexOptions = {}): string {
  return new ShellLex(options).processWord(word, env);
}

/** Docker's `ProcessWords`: expand, then split into words on unquoted blanks. */
export function splitWords(word: string, env: ShellEnv, options: ShellLexOptions = {}): string[] {
  return new ShellLex(options).processWords(word, env);
}
