// The instruction set and how each instruction's arguments are read.
import {
  parseHealthConfig,
  parseMaybeJSON,
  parseMaybeJSONToList,
  parseNameOrNameVal,
  parseNameVal,
  parseString,
  parseWhitespaceDelimited,
  type ParsedArgs,
} from './line-parsers.js';

type ArgParser = (rest: string, escapeToken: string) => ParsedArgs;

/** Every instruction Docker knows except ONBUILD, which the parser handles itself (it nests a line). */
const ARG_PARSERS: Readonly<Record<string, ArgParser>> = {
  ADD: parseMaybeJSONToList,
  ARG: parseNameOrNameVal,
  CMD: parseMaybeJSON,
  COPY: parseMaybeJSONToList,
  ENTRYPOINT: parseMaybeJSON,
  ENV: (rest, escape) => parseNameVal(rest, 'ENV', escape),
  EXPOSE: parseWhitespaceDelimited,
  FROM: parseWhitespaceDelimited,
  HEALTHCHECK: parseHealthConfig,
  LABEL: (rest, escape) => parseNameVal(rest, 'LABEL', escape),
  MAINTAINER: parseString,
  RUN: parseMaybeJSON,
  SHELL: parseMaybeJSON,
  STOPSIGNAL: parseString,
  USER: parseString,
  VOLUME: parseMaybeJSONToList,
  WORKDIR: parseString,
};

/** All instruction keywords, upper case: the book's fourteen plus ARG, STOPSIGNAL, HEALTHCHECK, SHELL. */
export const INSTRUCTIONS: readonly string[] = [...Object.keys(ARG_PARSERS), 'ONBUILD'].sort();

const BY_LOWER = new Map(INSTRUCTIONS.map((k) => [k.toLowerCase(), k]));

/** The canonical keyword for a word as written (matched case-insensitively, as Docker lower-cases it). */
export function canonicalKeyword(word: string): string | undefined {
  return BY_LOWER.get(word.toLowerCase());
}

export function argParserFor(keyword: string): ArgParser | undefined {
  return Object.prototype.hasOwnProperty.call(ARG_PARSERS, keyword) ? ARG_PARSERS[keyword] : undefined;
}
