// Per-instruction argument parsers (BuildKit parser/line_parsers.go). Each turns the text after the
// instruction word and flags into Docker's argument list.
import type { KeyValue } from './ast.js';
import { goQuote, goTrimLeft, isGoSpace } from './go-text.js';

export interface ParsedArgs {
  args: string[];
  json: boolean;
  keyValues?: KeyValue[];
}

/** Thrown for Docker's argument errors; the parser adds the location. */
export class ArgumentError extends Error {}

const NO_ARGS: ParsedArgs = Object.freeze({ args: [], json: false }) as ParsedArgs;
const WHITESPACE = /[\t\v\f\r ]+/;

const shell = (rest: string): ParsedArgs => ({ args: [rest], json: false });

/**
 * Splits on unquoted blanks, keeping quotes and escapes in the words (ENV/LABEL/ARG). A quoted
 * empty string is a word; an escape token at the very end is dropped.
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  // UTF-16 units suffice: every character that matters is ASCII, and a surrogate pair is copied unit by unit.
  const chars = rest;
  const words: string[] = [];
  let inWord = false;
  let quote = '';
  let blankOK = false;
  let word = '';

  for (let i = 0; i < chars.length; i++) {
    let ch = chars[i]!;
    if (!inWord && quote === '') {
      if (isGoSpace(ch)) continue;
      inWord = true;
    }
    if (quote === '') {
      if (isGoSpace(ch)) {
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        inWord = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
      } else if (ch === escapeToken) {
        if (i + 1 === chars.length) continue;
        // Outside quotes the escape and the character after it are kept, even a quote.
        word += ch;
        ch = chars[++i]!;
      }
      word += ch;
      continue;
    }
    // Inside quotes: the escape token works except in '…'.
    if (ch === quote) {
      quote = '';
    } else if (ch === escapeToken && quote !== "'") {
      if (i + 1 === chars.length) {
        quote = '';
        continue;
      }
      word += ch;
      ch = chars[++i]!;
    }
    word += ch;
  }
  if ((inWord || quote !== '') && (blankOK || word.length > 0)) words.push(word);
  return words;
}

/** ENV/LABEL: `KEY value with spaces` (legacy) or `K=V K2="v 2" …`. */
export function parseNameVal(rest: string, instruction: string, escapeToken: string): ParsedArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return NO_ARGS;

  if (!words[0]!.includes('=')) {
    const match = WHITESPACE.exec(rest);
    if (match === null) throw new ArgumentError(`${instruction} must have two arguments`);
    const pair: KeyValue = { key: rest.slice(0, match.index), value: rest.slice(match.index + match[0].length), separator: '' };
    return keyValueArgs([pair]);
  }
  const pairs = words.map((word): KeyValue => {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new ArgumentError(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
    }
    return { key: word.slice(0, eq), value: word.slice(eq + 1), separator: '=' };
  });
  return keyValueArgs(pairs);
}

function keyValueArgs(pairs: KeyValue[]): ParsedArgs {
  const args: string[] = [];
  for (const p of pairs) args.push(p.key, p.value, p.separator);
  return { args, json: false, keyValues: pairs };
}

/** ARG: `name`, `name=value`, several of either; a bare name (no default) has separator "". */
export function parseNameOrNameVal(rest: string, escapeToken: string): ParsedArgs {
  const args = parseWords(rest, escapeToken);
  if (args.length === 0) return NO_ARGS;
  const keyValues = args.map((word): KeyValue => {
    const eq = word.indexOf('=');
    return eq < 0 ? { key: word, value: '', separator: '' } : { key: word.slice(0, eq), value: word.slice(eq + 1), separator: '=' };
  });
  return { args, json: false, keyValues };
}

/** FROM, EXPOSE and the shell form of ADD/COPY/VOLUME: blank-separated words, nothing else. */
export function parseWhitespaceDelimited(rest: string): ParsedArgs {
  return rest === '' ? NO_ARGS : { args: rest.split(WHITESPACE), json: false };
}

/** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the rest of the line as one argument. */
export function parseString(rest: string): ParsedArgs {
  return rest === '' ? NO_ARGS : shell(rest);
}

const NOT_STRINGS = 'when using JSON array syntax, arrays must be comprised of strings only';

/** Go's json.Unmarshal fails on a number a float64 cannot hold; JSON.parse gives Infinity. */
function hasOverflow(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasOverflow);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasOverflow);
  return false;
}

/** The exec form: undefined when the text is not a JSON array (then it is shell form). */
function parseJSON(rest: string): ParsedArgs | undefined {
  const text = goTrimLeft(rest);
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || hasOverflow(value)) return undefined;
  if (!value.every((v): v is string => typeof v === 'string')) throw new ArgumentError(NOT_STRINGS);
  return { args: value, json: true };
}

/** RUN, CMD, ENTRYPOINT, SHELL: exec form if it parses as a JSON array of strings, else one shell string. */
export function parseMaybeJSON(rest: string): ParsedArgs {
  if (rest === '') return NO_ARGS;
  return parseJSON(rest) ?? shell(rest);
}

/** ADD, COPY, VOLUME: exec form, else blank-separated words. */
export function parseMaybeJSONToList(rest: string): ParsedArgs {
  return parseJSON(rest) ?? parseWhitespaceDelimited(rest);
}

/** HEALTHCHECK: a type word (CMD, NONE, …) then the command in maybe-JSON form. */
export function parseHealthConfig(rest: string): ParsedArgs {
  let sep = 0;
  while (sep < rest.length && !isGoSpace(rest[sep]!)) sep++;
  if (sep === 0) return NO_ARGS;
  let next = sep;
  while (next < rest.length && isGoSpace(rest[next]!)) next++;
  const command = parseMaybeJSON(rest.slice(next));
  return { args: [rest.slice(0, sep), ...command.args], json: command.json };
}
