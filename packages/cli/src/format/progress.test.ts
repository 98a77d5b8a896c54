import { sink } from '@berth/api-server/test-support';
import { describe, expect, it } from 'vitest';
import { displayJSONMessages, progressString, StreamError } from './progress.js';

async function render(messages: unknown[], terminal: boolean, columns = 80): Promise<string> {
  const out = sink();
  await displayJSONMessages(
    (async function* () {
      yield* messages;
    })(),
    out.stream,
    { terminal, columns },
  );
  return out.text();
}

const pull = [
  { status: 'Pulling from library/busybox', id: 'latest' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'aaa' },
  { status: 'Downloading', progressDetail: { current: 500, total: 1000 }, progress: '[=>  ] 500B/1kB', id: 'aaa' },
  { status: 'Download complete', progressDetail: {}, id: 'aaa' },
  { status: 'Pull complete', progressDetail: {}, id: 'aaa' },
  { status: 'Digest: sha256:abc' },
  { status: 'Status: Downloaded newer image for busybox:latest' },
];

describe('displayJSONMessages', () => {
  it('prints lines without byte counts when not on a terminal', async () => {
    expect(await render(pull, false)).toBe(
      'latest: Pulling from library/busybox\naaa: Pulling fs layer\naaa: Download complete\naaa: Pull complete\nDigest: sha256:abc\nStatus: Downloaded newer image for busybox:latest\n',
    );
  });

  it('rewrites one line per layer in place on a terminal', async () => {
    const text = await render(pull.slice(0, 3), true, 120);
    expect(text).toBe(
      'latest: Pulling from library/busybox\n' +
        '\n\x1b[1A\x1b[2K\raaa: Pulling fs layer \r\x1b[1B' +
        `\x1b[1A\x1b[2K\raaa: Downloading [${'='.repeat(25)}>${' '.repeat(25)}]    500 B/1 kB\r\x1b[1B`,
    );
  });

  it('stops at an error line', async () => {
    await expect(render([{ status: 'x' }, { errorDetail: { message: 'boom' }, error: 'boom' }], false)).rejects.toEqual(new StreamError('boom'));
  });
});

describe('progressString', () => {
  it('shows the bar only on terminals wider than 110 columns', () => {
    expect(progressString({ current: 500, total: 1000 }, 80)).toBe('   500 B/1 kB');
    expect(progressString({}, 200)).toBe('');
    expect(progressString({ current: 2000 }, 200)).toBe('    2 kB');
  });
});
