import { describe, expect, test } from 'vitest';
import { fromStage, parse, parseFlags } from './index.js';

const one = (line: string) => parse(line).instructions[0]!;
const COPY_FLAGS = { from: 'string', chown: 'string', chmod: 'string', link: 'bool', exclude: 'strings' } as const;

describe('parseFlags', () => {
  test('values by kind', () => {
    const flags = parseFlags(one('COPY --from=build --link --exclude=a --exclude=b x y'), COPY_FLAGS);
    expect(flags).toEqual({ from: 'build', link: true, exclude: ['a', 'b'] });
    expect(parseFlags(one('COPY --link=FALSE x y'), COPY_FLAGS)).toEqual({ link: false });
  });

  test.each([
    ['COPY --form=build x y', 'unknown flag: --form (did you mean from?)'],
    ['COPY --bogus x y', 'unknown flag: --bogus'],
    ['COPY --from=a --from=b x y', 'duplicate flag specified: --from'],
    ['COPY --from x y', 'missing a value on flag: --from'],
    ['COPY --link= x y', 'missing a value on flag: --link'],
    ['COPY --link=maybe x y', 'expecting boolean value for flag --link, not: maybe'],
  ])('%s → %s', (line, message) => {
    expect(() => parseFlags(one(line), COPY_FLAGS)).toThrow(message);
  });
});

describe('fromStage', () => {
  test('image, name and platform', () => {
    expect(fromStage(one('FROM busybox'))).toEqual({ image: 'busybox' });
    expect(fromStage(one('FROM --platform=linux/arm64 golang:1.22 AS Build'))).toEqual({
      image: 'golang:1.22',
      name: 'build',
      platform: 'linux/arm64',
    });
  });

  test.each([
    ['FROM a b', 'FROM requires either one or three arguments'],
    ['FROM a AS 1st', 'invalid name for build stage: "1st", name can\'t start with a number or contain symbols'],
    ['FROM --pull a', 'unknown flag: --pull'],
  ])('%s → %s', (line, message) => {
    expect(() => fromStage(one(line))).toThrow(message);
  });
});
