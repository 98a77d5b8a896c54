import { InvalidParameterError, parseFilters } from '@berth/api-types';
import { describe, expect, it } from 'vitest';
import { filterContainers, preparePsFilters, type PsEntry } from './index.js';

function entry(id: string, over: Partial<PsEntry> = {}): PsEntry {
  return {
    id: id.repeat(64).slice(0, 64),
    name: `/${id}`,
    status: 'running',
    running: true,
    everStarted: true,
    exitCode: 0,
    labels: {},
    health: 'none',
    mounts: [],
    networks: [{ id: 'b'.repeat(64), name: 'bridge' }],
    ports: [],
    image: 'busybox',
    imageId: 'sha256:' + '1'.repeat(64),
    ...over,
  };
}

// Newest first, as the engine lists them.
const entries: PsEntry[] = [
  entry('web', { labels: { tier: 'front' }, ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] }),
  entry('db', { status: 'exited', running: false, exitCode: 1, mounts: [{ name: 'pgdata', destination: '/var/lib/pg' }] }),
  entry('new', { status: 'created', running: false, everStarted: false }),
  entry('cache', { status: 'paused', labels: { tier: 'back' }, health: 'healthy', image: 'redis', imageId: 'sha256:' + '2'.repeat(64) }),
  entry('old', { status: 'exited', running: false, exitCode: 0, ports: [{ PrivatePort: 53, Type: 'udp' }] }),
];

const names = (es: PsEntry[]) => es.map((e) => e.name);
const ps = (filters = '', q: Partial<{ all: boolean; limit: number; before: string; since: string }> = {}) =>
  names(filterContainers(entries, { all: false, limit: 0, filters: parseFilters(filters), ...q }));
const idOf = (n: string) => (entries.find((e) => e.name === `/${n}`) as PsEntry).id;

describe('filterContainers', () => {
  it('shows running (and paused) containers unless all, a limit or a status filter', () => {
    expect(ps()).toEqual(['/web', '/cache']);
    expect(ps('', { all: true })).toEqual(['/web', '/db', '/new', '/cache', '/old']);
    expect(ps('', { limit: 2 })).toEqual(['/web', '/db']);
    expect(ps('{"status":["exited"]}')).toEqual(['/db', '/old']);
    expect(ps('{"status":["created","paused"]}')).toEqual(['/new', '/cache']);
  });

  it('anchors before and since', () => {
    expect(ps('', { all: true, before: idOf('new') })).toEqual(['/cache', '/old']);
    expect(ps('', { all: true, since: idOf('new') })).toEqual(['/web', '/db']);
  });

  it('filters by name and id (regexp), label, exit code, health', () => {
    expect(ps('{"name":["^we"]}', { all: true })).toEqual(['/web']);
    expect(ps('{"name":["/old"]}', { all: true })).toEqual(['/old']);
    expect(ps(`{"id":["${idOf('db').slice(0, 5)}"]}`, { all: true })).toEqual(['/db']);
    expect(ps('{"label":["tier"]}', { all: true })).toEqual(['/web', '/cache']);
    expect(ps('{"label":["tier=back"]}', { all: true })).toEqual(['/cache']);
    expect(ps('{"exited":["0"]}', { all: true })).toEqual(['/old']);
    expect(ps('{"exited":["1","0"]}', { all: true })).toEqual(['/db', '/old']);
    expect(ps('{"health":["healthy"]}')).toEqual(['/cache']);
    expect(ps('{"health":["none"]}')).toEqual(['/web']);
  });

  it('filters by volume, network, ports and ancestor', () => {
    expect(ps('{"volume":["pgdata"]}', { all: true })).toEqual(['/db']);
    expect(ps('{"volume":["/var/lib/pg"]}', { all: true })).toEqual(['/db']);
    expect(ps('{"network":["bridge"]}')).toEqual(['/web', '/cache']);
    expect(ps('{"network":["bbbb"]}')).toEqual(['/web', '/cache']);
    expect(ps('{"network":["host"]}')).toEqual([]);
    expect(ps('{"publish":["8080"]}')).toEqual(['/web']);
    expect(ps('{"publish":["8000-8100/tcp"]}')).toEqual(['/web']);
    expect(ps('{"expose":["80"]}')).toEqual(['/web']);
    expect(ps('{"expose":["53/udp"]}', { all: true })).toEqual(['/old']);
    const anc = filterContainers(entries, {
      all: true,
      limit: 0,
      filters: parseFilters('{"ancestor":["redis"]}'),
      isAncestor: (img, a) => a === 'redis' && img === 'sha256:' + '2'.repeat(64),
    });
    expect(names(anc)).toEqual(['/cache']);
  });

  it("refuses bad filters in Docker's words", () => {
    expect(() => preparePsFilters(parseFilters('{"colour":["x"]}'))).toThrow("invalid filter 'colour'");
    expect(() => preparePsFilters(parseFilters('{"status":["sleeping"]}'))).toThrow(
      'Unrecognised filter value for status: sleeping',
    );
    expect(() => preparePsFilters(parseFilters('{"health":["ok"]}'))).toThrow('Unrecognised filter value for health: ok');
    expect(() => preparePsFilters(parseFilters('{"exited":["x"]}'))).toThrow('strconv.Atoi: parsing "x": invalid syntax');
    expect(() => preparePsFilters(parseFilters('{"exited":["x"]}'))).toThrow(InvalidParameterError);
    expect(() => ps('{"publish":["http"]}')).toThrow("invalid filter 'publish=http'");
  });
});
