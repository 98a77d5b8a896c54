// Splits a logical line into instruction word, builder flags and the rest (BuildKit split_command.go).
import { goTrimSpace, isGoSpace } from './go-text.js';

export interface SplitLine {
  keyword: string;
  flags: string[];
  rest: string;
}

const WHITESPACE = /[\t\v\f\r ]+/;

export function splitCommand(line: string): SplitLine {
  const trimmed = goTrimSpace(line);
  const match = WHITESPACE.exec(trimmed);
  if (match === null) return { keyword: trimmed, flags: [], rest: '' };
  const { rest, flags } = extractBuilderFlags(trimmed.slice(match.index + match[0].length));
  return { keyword: trimmed.slice(0, match.index), flags, rest: goTrimSpace(rest) };
}

const enum Phase {
  Spaces,
  Word,
  Quote,
}

const DASH = 0x2d;
const BACKSLASH = 0x5c;

/**
 * Pulls leading `--flag[=value]` words off `line`; a bare `--` ends them. Docker walks the UTF-8
 * bytes one at a time, each byte taken as a rune, so a non-ASCII flag value comes out as Latin-1
 * mojibake and bytes 0x85/0xA0 count as blanks; that is reproduced here.
 */
function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  // Fast path: leading ASCII blanks, then an ASCII character that does not start "--".
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '\v' || line[i] === '\f' || line[i] === '\r')) i++;
  const first = line.charCodeAt(i);
  if (i === line.length || (first < 0x80 && !(first === DASH && line[i + 1] === '-'))) {
    return { rest: line.slice(i), flags: [] };
  }
  const bytes = Buffer.from(line, 'utf8');
  const restFrom = (pos: number): string => bytes.subarray(pos).toString('utf8');
  const flags: string[] = [];
  let phase = Phase.Spaces;
  let word = '';
  let quote = 0;
  let blankOK = false;

  for (let pos = 0; pos <= bytes.length; pos++) {
    const atEnd = pos === bytes.length;
    let ch = atEnd ? 0 : bytes[pos]!;
    const space = !atEnd && isGoSpace(String.fromCharCode(ch));

    if (phase === Phase.Spaces) {
      if (atEnd) break;
      if (space) continue;
      // Only a word starting with -- is a flag.
      if (ch !== DASH || pos + 1 === bytes.length || bytes[pos + 1] !== DASH) return { rest: restFrom(pos), flags };
      phase = Phase.Word;
    }
    if (atEnd) {
      if (word !== '--' && (blankOK || word.length > 0)) flags.push(word);
      break;
    }
    if (phase === Phase.Word) {
      if (space) {
        phase = Phase.Spaces;
        if (word === '--') return { rest: restFrom(pos), flags };
        if (blankOK || word.length > 0) flags.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOK = true;
        phase = Phase.Quote;
        continue;
      }
      if (ch === BACKSLASH) {
        if (pos + 1 === bytes.length) continue;
        ch = bytes[++pos]!;
      }
      word += String.fromCharCode(ch);
      continue;
    }
    // Phase.Quote
    if (ch === quote) {
      phase = Phase.Word;
      continue;
    }
    if (ch === BACKSLASH) {
      if (pos + 1 === bytes.length) {
        phase = Phase.Word;
        continue;
      }
      ch = bytes[++pos]!;
    }
    word += String.fromCharCode(ch);
  }
  return { rest: '', flags };
}
