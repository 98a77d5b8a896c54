// .dockerignore: moby's ignorefile.ReadAll and patternmatcher (`*`, `?`, `[…]`, `**`, `!`
// exceptions, the last matching pattern wins, a pattern matching a directory excludes what is in it).
import { posix } from 'node:path';

export interface IgnorePattern {
  /** The cleaned pattern without its `!`. */
  text: string;
  exclusion: boolean;
  regexp: RegExp;
  /** Path segments of the pattern (a pattern also matches the first N segments of a file's parent). */
  depth: number;
}

/** `.dockerignore` text → its patterns, as the docker CLI reads them (`#` comments, blank lines skipped). */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = posix.normalize(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
      pattern = pattern.replace(/\/+$/, '') || pattern;
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

const ESCAPE = new Set(['.', '+', '(', ')', '|', '{', '}', '$', '^']);

/** A pattern as moby compiles it into a regular expression. */
function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++; // `**/` is `**`
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ESCAPE.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      re += i + 1 < pattern.length ? `\\${pattern[++i]}` : '\\\\';
    } else {
      re += ch;
    }
  }
  try {
    return new RegExp(`${re}$`, 's');
  } catch {
    throw new Error(`syntax error in pattern: ${pattern}`);
  }
}

export class IgnoreMatcher {
  readonly patterns: IgnorePattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map((p) => {
      const exclusion = p.startsWith('!');
      const text = exclusion ? p.slice(1) : p;
      if (text === '') throw new Error('illegal exclusion pattern: "!"');
      return { text, exclusion, regexp: compile(text), depth: text.split('/').length };
    });
  }

  get hasExceptions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /** Whether the path (relative to the context root, `/`-separated) is excluded. */
  excludes(file: string): boolean {
    const path = posix.normalize(file).replace(/^\/+/, '');
    if (path === '.' || path === '') return false;
    const parentDirs = posix.dirname(path) === '.' ? [] : posix.dirname(path).split('/');
    let matched = false;
    for (const p of this.patterns) {
      let match = p.regexp.test(path);
      if (!match && parentDirs.length >= p.depth) match = p.regexp.test(parentDirs.slice(0, p.depth).join('/'));
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
}
