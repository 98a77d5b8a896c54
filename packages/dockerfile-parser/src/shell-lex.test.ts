import { describe, expect, test } from 'vitest';
import { expandWord, ShellExpansionError, ShellLex, splitWords } from './index.js';

describe('variable forms', () => {
  const env = { FOO: 'xxx', BAR: '' };
  test.each([
    ['${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', 'xxx  ccc'],
    ['${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}', 'xxx bbb ccc'],
    ['${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', 'aaa bbb '],
    ['${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}', 'aaa  '],
    ['${FOO?aaa}', 'xxx'],
    ['${BAR?bbb}', ''],
    ['${FOO:?aaa}', 'xxx'],
  ])('%s → %j', (word, expected) => {
    expect(expandWord(word, env)).toBe(expected);
  });

  test.each([
    ['${BAZ?ccc}', 'failed to process "${BAZ?ccc}": BAZ: ccc'],
    ['${BAZ?}', 'failed to process "${BAZ?}": BAZ: is not allowed to be unset'],
    ['${BAR:?}', 'failed to process "${BAR:?}": BAR: is not allowed to be empty'],
    ['${FOO=aaa}', 'failed to process "${FOO=aaa}": unsupported modifier (=) in substitution'],
    ['${FOO:=aaa}', 'failed to process "${FOO:=aaa}": unsupported modifier (:=) in substitution'],
    ['${FOO:#a}', 'failed to process "${FOO:#a}": unsupported modifier (:#) in substitution'],
    ['${}', 'failed to process "${}": syntax error: bad substitution'],
    ['${FOO', 'failed to process "${FOO": unsupported modifier (\ufffd) in substitution'],
    ['${FOO:-x', 'failed to process "${FOO:-x": syntax error: missing \'}\''],
    ["'abc", 'failed to process "\'abc": unexpected end of statement while looking for matching single-quote'],
    ['"abc', 'failed to process "\\"abc": unexpected end of statement while looking for matching double-quote'],
    ['${FOO#\\x}', 'failed to process "${FOO#\\\\x}": invalid pattern (\\x) in substitution: invalid escape \'\\x\''],
  ])('%s fails with Docker\'s message', (word, message) => {
    expect(() => expandWord(word, env)).toThrow(new ShellExpansionError(message));
  });
});

describe('pattern removal and replacement', () => {
  test.each([
    ['${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }, 'x'],
    ['${FOO%%\\**}', { FOO: 'xx**' }, 'xx'],
    ['${FOO#*x*y}', { FOO: 'xxyy' }, 'y'],
    ['${FOO##*x}', { FOO: 'xxyy' }, 'yy'],
    ['${FOO#?\\?}', { FOO: '???y' }, '?y'],
    ['${ABC:-.}${FOO%x}${ABC:-.}', { FOO: 'xxyy' }, '.xxyy.'],
    ['${FOO%%\\**\\*}', { FOO: 'a***yy*' }, 'a'],
    ['${FOO%.*}', { FOO: 'file.tar.gz' }, 'file.tar'],
    ['${FOO%%.*}', { FOO: 'file.tar.gz' }, 'file'],
    ['${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}', { FOO: '/foo*/*/*.txt', NEEDLE: '\\*/' }, '/foo.*/*.txt - /foo..*.txt'],
    ['${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}', { FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp' }, '/tmp/bar.txt - /bar.txt'],
    ['${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}', { FOO: '/a/foo/b/c.txt', NEEDLE: '/?/', R: '/' }, '/foo/b/c.txt - /foo/c.txt'],
    ['${FOO/$NEEDLE/$R}', { FOO: 'http://google.de', NEEDLE: 'http://', R: 'https://' }, 'https://google.de'],
    ['${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }, '\\/tmp\\/foo.txt'],
  ])('%s', (word, env, expected) => {
    expect(expandWord(word, env)).toBe(expected);
  });
});

describe('lexer options', () => {
  test('matched and unmatched variables are reported', () => {
    const result = new ShellLex().process('$A ${B:-x} $C', { A: '1', C: '' });
    expect(result.result).toBe('1 x ');
    expect([...result.matched].sort()).toEqual(['A', 'C']);
    expect([...result.unmatched]).toEqual(['B']);
  });

  test('skipUnsetEnv leaves references to unset variables as written', () => {
    const lex = new ShellLex({ skipUnsetEnv: true });
    expect(lex.processWord('$A/${B}/${C:-x}/${D/a/b}/$E', { E: 'e' })).toBe('$A/${B}/${C:-x}/${D/a/b}/e');
  });

  test('rawQuotes and rawEscapes keep what they say', () => {
    expect(new ShellLex({ rawQuotes: true }).processWords(`a "b c" 'd'`, {})).toEqual(['a', '"b c"', "'d'"]);
    expect(new ShellLex({ rawEscapes: true }).processWord('a\\ b', {})).toBe('a\\ b');
  });

  test('the backtick escape token', () => {
    expect(expandWord('c:\\dir `$HOME', { HOME: '/root' }, { escapeToken: '`' })).toBe('c:\\dir $HOME');
  });

  test('skipProcessQuotes treats quotes as text', () => {
    expect(new ShellLex({ skipProcessQuotes: true }).processWord(`echo "$A" '$A'`, { A: 'x' })).toBe(`echo "x" 'x'`);
  });

  test('the environment may be a Map, a record or K=V strings (the last duplicate wins)', () => {
    expect(expandWord('$A', new Map([['A', 'm']]))).toBe('m');
    expect(expandWord('$A', ['A=1', 'A=2'])).toBe('2');
    expect(expandWord('$toString', {})).toBe('');
  });

  test('word splitting happens only on unquoted expanded blanks', () => {
    expect(splitWords('a${X}b "${X}" c', { X: ' 1  2 ' })).toEqual(['a', '1', '2', 'b', ' 1  2 ', 'c']);
  });
});
