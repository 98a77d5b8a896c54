import { describe, expect, test } from 'vitest';
import { chompHeredocContent, DockerfileParseError, dump, parse, type Heredoc } from './index.js';

const errorOf = (text: string): DockerfileParseError => {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(DockerfileParseError);
    return err as DockerfileParseError;
  }
  throw new Error('expected a parse error');
};

describe('lines and positions', () => {
  test('start and end lines cover continuations, comments and blanks inside them', () => {
    const ast = parse(['', '# about', 'FROM busybox', '', 'RUN echo a \\', '  # inside', '', '  b', 'CMD ["x"]', ''].join('\n'));
    expect(ast.instructions.map((i) => [i.keyword, i.startLine, i.endLine])).toEqual([
      ['FROM', 3, 3],
      ['RUN', 5, 8],
      ['CMD', 9, 9],
    ]);
    expect(ast.instructions[1]!.original).toBe('RUN echo a   b');
    expect(ast.comments).toEqual([
      { text: 'about', line: 2 },
      { text: 'inside', line: 6 },
    ]);
    expect(ast.warnings).toEqual([
      { message: 'Empty continuation line found in: RUN echo a   b', line: 8, url: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/' },
    ]);
  });

  test('empty continuation lines warn, comment lines inside a continuation do not', () => {
    const text = [
      '',
      'FROM alpine:3.6',
      '',
      'RUN something \\',
      '',
      '    following \\',
      '',
      '    more',
      '',
      'RUN another \\',
      '',
      '    thing',
      'RUN non-indented \\',
      '# this is a comment',
      '   after-comment',
      '',
      'RUN indented \\',
      '    # this is an indented comment',
      '    comment',
      '\t',
    ].join('\n');
    expect(parse(text).warnings.map((w) => [w.message, w.line])).toEqual([
      ['Empty continuation line found in: RUN something     following     more', 8],
      ['Empty continuation line found in: RUN another     thing', 12],
    ]);
  });

  test('words keep their quotes and escapes until expansion', () => {
    const args = (line: string): string[] => parse(line).instructions[0]!.args;
    expect(args('ARG foo')).toEqual(['foo']);
    expect(args('ARG foo bar')).toEqual(['foo', 'bar']);
    expect(args('ARG foo\\ bar')).toEqual(['foo\\ bar']);
    expect(args('ARG foo=bar')).toEqual(['foo=bar']);
    expect(args("ARG foo bar 'abc xyz'")).toEqual(['foo', 'bar', "'abc xyz'"]);
    expect(args('ARG föo bàr "âbc xÿz"')).toEqual(['föo', 'bàr', '"âbc xÿz"']);
    expect(args('ARG a="" b=\'\'')).toEqual(['a=""', "b=''"]);
  });

  test('the comment block right above an instruction is attached to it; a bare # resets it', () => {
    const ast = parse('# one\n#\n# two\n# three\nFROM a\nRUN x\n');
    expect(ast.instructions[0]!.comments).toEqual(['two', 'three']);
    expect(ast.instructions[1]!.comments).toEqual([]);
  });

  test('CRLF line endings, a byte-order mark and lower-case keywords', () => {
    const ast = parse('\ufefffrom alpine\r\nrun echo hi \\\r\n  there\r\n');
    expect(dump(ast)).toBe('(from "alpine")\n(run "echo hi   there")\n');
    expect(ast.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    expect(ast.lines).toEqual(['\ufefffrom alpine', 'run echo hi \\', '  there']);
  });

  test('a # in the middle of a line is not a comment', () => {
    expect(parse("RUN echo 'we are running some # of cool things'").instructions[0]!.args).toEqual([
      "echo 'we are running some # of cool things'",
    ]);
  });
});

describe('parser directives', () => {
  test('escape, syntax and check are read before anything else', () => {
    const ast = parse('# syntax=docker/dockerfile:1\n#  ESCAPE = `\n# check=skip=all\nFROM a\nRUN dir c:\\ `\n  && echo\n');
    expect(ast.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1', line: 1 },
      { name: 'escape', value: '`', line: 2 },
      { name: 'check', value: 'skip=all', line: 3 },
    ]);
    expect(ast.escapeToken).toBe('`');
    expect(ast.instructions[1]!.args).toEqual(['dir c:\\   && echo']);
    expect(ast.comments).toEqual([]);
  });

  test('a directive after a comment, a blank line or an unknown directive is only a comment', () => {
    for (const head of ['# hello\n', '\n', '# foo=bar\n']) {
      const ast = parse(`${head}# escape=\`\nFROM a\nRUN a \`\n`);
      expect(ast.escapeToken).toBe('\\');
      expect(ast.instructions[1]!.args).toEqual(['a `']);
    }
  });

  test("Docker's errors for a repeated directive and a bad escape token", () => {
    const repeated = errorOf('# escape=`\n# escape=\\\nFROM a');
    expect(repeated.message).toBe('only one escape parser directive can be used');
    expect(repeated.startLine).toBe(2);
    expect(errorOf('# escape=x\nFROM a').message).toBe("invalid escape token 'x' does not match ` or \\");
  });
});

describe('instructions and arguments', () => {
  test('all instructions, including the modern ones and FROM … AS', () => {
    const text = [
      'ARG VERSION=1',
      'FROM --platform=linux/amd64 alpine:$VERSION AS build',
      'MAINTAINER Jane <j@example.com>',
      'LABEL a=b "c d"="e f"',
      'ENV PATH /usr/local/bin:$PATH',
      'EXPOSE 80 443/tcp',
      'ADD --chown=1:1 a.tar.gz /opt/',
      'COPY --from=build ["a b", "/c d/"]',
      'VOLUME /data /logs',
      'USER daemon',
      'WORKDIR /srv',
      'STOPSIGNAL SIGTERM',
      'HEALTHCHECK --interval=5s CMD curl -f http://localhost/',
      'SHELL ["/bin/bash", "-c"]',
      'ONBUILD RUN make',
      'ENTRYPOINT ["top", "-b"]',
      'CMD ["-c"]',
    ].join('\n');
    expect(dump(parse(text))).toBe(
      [
        '(arg "VERSION=1")',
        '(from ["--platform=linux/amd64"] "alpine:$VERSION" "AS" "build")',
        '(maintainer "Jane <j@example.com>")',
        '(label "a" "b" "=" "\\"c d\\"" "\\"e f\\"" "=")',
        '(env "PATH" "/usr/local/bin:$PATH" "")',
        '(expose "80" "443/tcp")',
        '(add ["--chown=1:1"] "a.tar.gz" "/opt/")',
        '(copy ["--from=build"] "a b" "/c d/")',
        '(volume "/data" "/logs")',
        '(user "daemon")',
        '(workdir "/srv")',
        '(stopsignal "SIGTERM")',
        '(healthcheck ["--interval=5s"] "CMD" "curl -f http://localhost/")',
        '(shell "/bin/bash" "-c")',
        '(onbuild (run "make"))',
        '(entrypoint "top" "-b")',
        '(cmd "-c")',
        '',
      ].join('\n'),
    );
  });

  test('ENV and LABEL key/value pairs in both forms', () => {
    const [legacy, modern] = parse('ENV myName John Doe\nENV myName="John Doe" myDog=Rex\\ The\\ Dog\n').instructions;
    expect(legacy!.keyValues).toEqual([{ key: 'myName', value: 'John Doe', separator: '' }]);
    expect(modern!.keyValues).toEqual([
      { key: 'myName', value: '"John Doe"', separator: '=' },
      { key: 'myDog', value: 'Rex\\ The\\ Dog', separator: '=' },
    ]);
  });

  test('ARG names with and without defaults', () => {
    expect(parse('ARG a b=1 c=').instructions[0]!.keyValues).toEqual([
      { key: 'a', value: '', separator: '' },
      { key: 'b', value: '1', separator: '=' },
      { key: 'c', value: '', separator: '=' },
    ]);
  });

  test('exec form vs shell form', () => {
    const [exec, single, trailing] = parse('RUN ["echo", "hi"]\nRUN [\'echo\', \'hi\']\nCMD ["a"] b\n').instructions;
    expect(exec).toMatchObject({ json: true, args: ['echo', 'hi'] });
    expect(single).toMatchObject({ json: false, args: ["['echo', 'hi']"] });
    expect(trailing).toMatchObject({ json: false, args: ['["a"] b'] });
  });

  test('builder flags: quotes, a value never taken from the next word, and -- ending them', () => {
    const ast = parse('COPY --from=build --chown="a b" x y\nRUN --mount=type=cache,target=/root -- --not-a-flag\nCOPY --from build x\n');
    expect(ast.instructions[0]!.flags).toEqual(['--from=build', '--chown=a b']);
    expect(ast.instructions[0]!.args).toEqual(['x', 'y']);
    expect(ast.instructions[2]).toMatchObject({ flags: ['--from'], args: ['build', 'x'] });
    expect(ast.instructions[1]!.flags).toEqual(['--mount=type=cache,target=/root']);
    expect(ast.instructions[1]!.args).toEqual(['--not-a-flag']);
  });

  test('ONBUILD keeps its trigger as a sub-instruction', () => {
    const onbuild = parse('ONBUILD COPY --chown=1 . /app').instructions[0]!;
    expect(onbuild.subInstruction).toMatchObject({ keyword: 'COPY', flags: ['--chown=1'], args: ['.', '/app'], startLine: 1 });
    expect(dump(parse('ONBUILD'))).toBe('(onbuild)\n');
  });
});

describe('errors', () => {
  test.each([
    ['', 'file with no instructions', 0],
    ['# only\n\n', 'file with no instructions', 2],
    ['FROM a\nENV PATH\n', 'ENV must have two arguments', 2],
    ['LABEL x\n', 'LABEL must have two arguments', 1],
    ['FROM a\nENV a=b c\n', 'Syntax error - can\'t find = in "c". Must be of the form: name=value', 2],
    ['FROM a\n\nCMD [ "echo", [ "nested json" ] ]', 'when using JSON array syntax, arrays must be comprised of strings only', 3],
    ['FROM a\nFOO bar\n', 'unknown instruction: FOO (did you mean FROM?)', 2],
    ['FROM a\nBOGUS bar\n', 'unknown instruction: BOGUS', 2],
    ['FROM a\nRUNN make\n', 'unknown instruction: RUNN (did you mean RUN?)', 2],
    ['FROM a\ncopi . /\n', 'unknown instruction: copi (did you mean copy?)', 2],
    ['FROM a\nWorkDr /x\n', 'unknown instruction: WorkDr (did you mean workdir?)', 2],
    ['FROM a\nRUN <<EOF\necho\n', 'unterminated heredoc', 2],
  ])('%j → %s', (text, message, line) => {
    const err = errorOf(text);
    expect(err.message).toBe(message);
    expect(err.startLine).toBe(line);
  });

  test('the Docker-style description carries the line', () => {
    expect(errorOf('FROM a\nENV PATH').describe()).toBe('dockerfile parse error on line 2: ENV must have two arguments');
  });

  test('unknown instructions can be accepted as Docker\'s low-level parser does', () => {
    const ast = parse('FROM a\nfoo bar\n', { allowUnknownInstructions: true });
    expect(dump(ast)).toBe('(from "a")\n(foo "")\n');
  });

  test('a line longer than 64 KiB is refused', () => {
    expect(errorOf(`FROM a\nLABEL a=${'x'.repeat(70000)}\n`).message).toBe('dockerfile line greater than max allowed size of 65535');
  });
});

describe('heredocs', () => {
  const heredocsOf = (text: string): Heredoc[][] => parse(text).instructions.map((i) => i.heredocs);

  test('names, quoting, chomping, descriptors and several per line', () => {
    const text = [
      'FROM alpine',
      'RUN <<EOF',
      'echo hello',
      '# not a comment',
      'EOF',
      'RUN 3<<-\'NOEXPAND\' python3',
      '\tprint($x)',
      '\tNOEXPAND',
      'COPY <<X <<Y /dest',
      'Y',
      'X',
      'X',
      'Y',
      'RUN <<eo\\\'f',
      'echo foo',
      "eo'f",
      'RUN <<  EOF',
      'EOF',
      'RUN ["<<EOF"]',
      'RUN "<<NOHEREDOC"',
      'USER <<INVALID',
      'ONBUILD RUN <<EOF',
      'x',
      'EOF',
    ].join('\n');
    const docs = heredocsOf(text);
    expect(docs[1]).toEqual([{ name: 'EOF', fileDescriptor: 0, expand: true, chomp: false, content: 'echo hello\n# not a comment\n' }]);
    expect(docs[2]).toEqual([{ name: 'NOEXPAND', fileDescriptor: 3, expand: false, chomp: true, content: '\tprint($x)\n' }]);
    expect(docs[3]!.map((d) => [d.name, d.content])).toEqual([
      ['X', 'Y\n'],
      ['Y', 'X\n'],
    ]);
    expect(docs[4]).toMatchObject([{ name: "eo'f", expand: true, content: 'echo foo\n' }]);
    expect(docs[5]).toMatchObject([{ name: 'EOF', content: '' }]);
    expect(docs.slice(6, 9)).toEqual([[], [], []]);
    expect(docs[9]).toMatchObject([{ name: 'EOF', content: 'x\n' }]);
    const ast = parse(text);
    expect(ast.instructions[3]).toMatchObject({ startLine: 9, endLine: 13 });
    expect(ast.comments).toEqual([]);
  });

  test('chomping removes leading tabs from every body line', () => {
    expect(chompHeredocContent('\t\tbaz\n\tquux\n')).toBe('baz\nquux\n');
  });
});
