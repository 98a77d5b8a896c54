import { describe, expect, it } from 'vitest';
import type { ContainerConfig } from '@berth/api-types';
import type { ImageSummary } from '@berth/graph-aufs';
import { applyChanges, splitWords } from './changes.js';
import { commitConfig } from './commit.js';
import { filterImages, globMatch } from './list.js';

const base = { Cmd: ['sh'], Entrypoint: null, Env: ['PATH=/bin'], ExposedPorts: {}, Labels: {}, OnBuild: null, User: '', Volumes: null, WorkingDir: '' };

describe('applyChanges (commit/import --change)', () => {
  it("applies the book's example: ENV DEBUG true appends to the env", () => {
    expect(applyChanges(base, ['ENV DEBUG true']).Env).toEqual(['PATH=/bin', 'DEBUG=true']);
    expect(applyChanges(base, ['env PATH=/usr/bin "A B"="c d"']).Env).toEqual(['PATH=/usr/bin', 'A B=c d']);
  });

  it('takes CMD and ENTRYPOINT in exec or shell form; an ENTRYPOINT drops the inherited CMD', () => {
    expect(applyChanges(base, ['CMD ["echo","hi"]']).Cmd).toEqual(['echo', 'hi']);
    expect(applyChanges(base, ['CMD echo hi']).Cmd).toEqual(['/bin/sh', '-c', 'echo hi']);
    expect(applyChanges(base, ['ENTRYPOINT ["top"]'])).toMatchObject({ Entrypoint: ['top'], Cmd: null });
    expect(applyChanges(base, ['CMD ["-b"]', 'ENTRYPOINT ["top"]'])).toMatchObject({ Entrypoint: ['top'], Cmd: ['-b'] });
  });

  it('sets ports, labels, volumes, user, workdir and onbuild triggers', () => {
    const c = applyChanges(base, ['EXPOSE 80 53/udp 8000-8001', 'LABEL version=1.0 "a b"=c', 'VOLUME ["/data"]', 'VOLUME /a /b', 'USER nobody', 'WORKDIR /app', 'WORKDIR sub', 'ONBUILD RUN make']);
    expect(c).toMatchObject({
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
      Labels: { version: '1.0', 'a b': 'c' },
      Volumes: { '/data': {}, '/a': {}, '/b': {} },
      User: 'nobody',
      WorkingDir: '/app/sub',
      OnBuild: ['RUN make'],
    });
  });

  it("refuses other instructions in Docker's words", () => {
    expect(() => applyChanges(base, ['FROM busybox'])).toThrow('from is not a valid change command');
    expect(() => applyChanges(base, ['RUN true'])).toThrow('run is not a valid change command');
    expect(() => applyChanges(base, ['ONBUILD ONBUILD RUN x'])).toThrow('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
    expect(() => applyChanges(base, ['EXPOSE http'])).toThrow('Invalid containerPort: http');
    expect(() => applyChanges(base, ['LABEL x'])).toThrow('LABEL must have two arguments');
  });

  it('splits words with quotes and escapes', () => {
    expect(splitWords(`a "b c" 'd e' f\\ g`)).toEqual(['a', 'b c', 'd e', 'f g']);
    expect(() => splitWords('"open')).toThrow('unexpected end of statement');
  });
});

describe('commitConfig', () => {
  const container = { ...base, Hostname: 'h', Env: ['PATH=/bin', 'A=1'], ExposedPorts: { '80/tcp': {} } } as unknown as ContainerConfig;
  it('keeps the container config and applies the changes on top', () => {
    expect(commitConfig(container, undefined, ['ENV DEBUG true']).Env).toEqual(['PATH=/bin', 'A=1', 'DEBUG=true']);
  });
  it('merges a request config over it: set fields win, ports are a union, an empty Env inherits', () => {
    const c = commitConfig(container, { Cmd: ['x'], ExposedPorts: { '22/tcp': {} } }, []);
    expect(c).toMatchObject({ Cmd: ['x'], Env: ['PATH=/bin', 'A=1'], ExposedPorts: { '80/tcp': {}, '22/tcp': {} }, Hostname: 'h' });
  });
});

describe('image list filters', () => {
  const img = (id: string, parent: string | null, created: string, repoTags: string[], labels: Record<string, string> = {}) =>
    ({ id, parent, created, repoTags, repoDigests: [], references: [], config: { config: { Labels: labels } } }) as unknown as ImageSummary;
  const images = [
    img('sha256:c', 'sha256:b', '2015-01-03T00:00:00Z', ['app:latest'], { version: '1.0' }),
    img('sha256:d', null, '2015-01-04T00:00:00Z', []),
    img('sha256:b', 'sha256:a', '2015-01-02T00:00:00Z', []),
    img('sha256:a', null, '2015-01-01T00:00:00Z', ['busybox:latest', 'other:latest']),
  ];
  const created = (ref: string) => images.find((i) => i.id === ref || i.repoTags.includes(`${ref}:latest`))?.created ?? '';
  const ids = (q: Parameters<typeof filterImages>[1]) => filterImages(images, q, created).map((i) => i.id);

  it('hides untagged parents unless -a; dangling=true keeps the untagged leaves', () => {
    expect(ids({})).toEqual(['sha256:c', 'sha256:d', 'sha256:a']);
    expect(ids({ all: true })).toEqual(['sha256:c', 'sha256:d', 'sha256:b', 'sha256:a']);
    expect(ids({ filters: new Map([['dangling', new Set(['true'])]]) })).toEqual(['sha256:d']);
    expect(ids({ filters: new Map([['dangling', new Set(['false'])]]) })).toEqual(['sha256:c', 'sha256:a']);
  });

  it('filters by label, before, since and reference', () => {
    expect(ids({ filters: new Map([['label', new Set(['version=1.0'])]]) })).toEqual(['sha256:c']);
    expect(ids({ filters: new Map([['before', new Set(['app'])]]) })).toEqual(['sha256:a']);
    expect(ids({ filters: new Map([['since', new Set(['busybox'])]]) })).toEqual(['sha256:c', 'sha256:d']);
    expect(ids({ filters: new Map([['reference', new Set(['busy*'])]]) })).toEqual(['sha256:a']);
    // Only the matching names are listed.
    expect(filterImages(images, { filters: new Map([['reference', new Set(['busybox'])]]) }, created).map((i) => i.repoTags)).toEqual([['busybox:latest']]);
    expect(() => ids({ filters: new Map([['color', new Set(['red'])]]) })).toThrow("invalid filter 'color'");
    expect(() => ids({ filters: new Map([['dangling', new Set(['maybe'])]]) })).toThrow("Invalid filter 'dangling=maybe'");
  });

  it("matches globs as Go's path.Match", () => {
    expect(globMatch('busy*', 'busybox')).toBe(true);
    expect(globMatch('*', 'library/busybox')).toBe(false);
    expect(globMatch('*/busybox:*', 'library/busybox:latest')).toBe(true);
    expect(globMatch('b[a-u]sybox', 'busybox')).toBe(true);
  });
});
