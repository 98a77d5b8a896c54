import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ConflictError, InvalidParameterError, NotFoundError } from '@berth/api-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngineDb } from '../db/index.js';
import { TruncIndex } from '../ids/index.js';
import { canonicalContainerName, ContainerStore, NameStore, resolveContainerId } from './index.js';

const A = 'abc1' + '0'.repeat(60);
const B = 'abc2' + '0'.repeat(60);
const C = 'def0' + '0'.repeat(60);

let dir: string;
let db: Database.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-names-'));
  db = openEngineDb(join(dir, 'berth.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('container names', () => {
  it("validates with Docker's pattern and message", () => {
    expect(canonicalContainerName('web')).toBe('/web');
    expect(canonicalContainerName('/web_1.a-b')).toBe('/web_1.a-b');
    for (const bad of ['a', '-web', 'we b', 'web/db', '_x', '']) {
      expect(() => canonicalContainerName(bad)).toThrow(
        `Invalid container name (${bad}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    }
    expect(() => canonicalContainerName('a')).toThrow(InvalidParameterError);
  });

  it('reserves a name once, with the conflict message naming the holder', () => {
    const names = new NameStore(db);
    expect(names.reserve('web', A)).toBe('/web');
    expect(() => names.reserve('/web', B)).toThrow(
      `Conflict. The container name "/web" is already in use by container "${A}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
    expect(() => names.reserve('web', B)).toThrow(ConflictError);
    expect(names.idOf('web')).toBe(A);
    expect(names.idOf('/web')).toBe(A);
    expect(names.release('web')).toBe(true);
    expect(names.reserve('web', B)).toBe('/web');
  });

  it('is atomic across two handles on the same database', () => {
    const other = openEngineDb(join(dir, 'berth.db'));
    try {
      new NameStore(db).reserve('race', A);
      expect(() => new NameStore(other).reserve('race', B)).toThrow(ConflictError);
    } finally {
      other.close();
    }
  });

  it('generates names, falling back to the short ID', () => {
    const names = new NameStore(db);
    const zero = () => 0;
    const first = names.reserveGenerated(A, zero);
    expect(first).toMatch(/^\/[a-z]+_[a-z]+$/);
    // With a constant random source every generated name after the first is the same.
    expect(names.reserveGenerated(B, zero)).toBe(`${first}0`);
    expect(names.reserveGenerated(C, zero)).toBe('/def000000000');
  });

  it('renames atomically, moving link aliases, with Docker messages', () => {
    const names = new NameStore(db);
    names.reserve('web', A);
    names.reserve('db', B);
    names.addLink('web', 'db', B);
    expect(names.all()).toEqual(
      new Map([
        [A, ['/web']],
        [B, ['/db', '/web/db']],
      ]),
    );
    expect(names.rename(A, '/web', 'site')).toBe('/site');
    expect(names.namesOf(B)).toEqual(['/db', '/site/db']);
    expect(names.idOf('web')).toBeUndefined();
    expect(() => names.rename(A, '/site', 'db')).toThrow(
      `Error when allocating new name: Conflict. The container name "/db" is already in use by container "${B}".`,
    );
    expect(names.idOf('site')).toBe(A);
    expect(() => names.rename(A, '/site', 'site')).toThrow('Renaming a container with the same name as its current name');
    expect(() => names.rename(A, '', 'x1')).toThrow('Neither old nor new names may be empty');
    expect(() => names.rename(A, '/site', 'x y')).toThrow('Invalid container name (/x y)');
    expect(names.releaseAll(B)).toBe(2);
  });
});

describe('resolveContainerId', () => {
  function lookup(names: NameStore, ids: string[]) {
    const set = new Set(ids);
    return { exists: (id: string) => set.has(id), idOf: (n: string) => names.idOf(n), index: new TruncIndex(ids) };
  }

  it('tries the full ID, then the name, then a unique prefix', () => {
    const names = new NameStore(db);
    names.reserve('abc2', A); // a name that is also a prefix of B
    const l = lookup(names, [A, B, C]);
    expect(resolveContainerId(B, l)).toBe(B);
    expect(resolveContainerId('abc2', l)).toBe(A);
    expect(resolveContainerId('/abc2', l)).toBe(A);
    expect(resolveContainerId('d', l)).toBe(C);
    expect(resolveContainerId('abc1', l)).toBe(A);
  });

  it("reports missing, ambiguous and empty references in Docker's words", () => {
    const l = lookup(new NameStore(db), [A, B]);
    expect(() => resolveContainerId('zzz', l)).toThrow('No such container: zzz');
    expect(() => resolveContainerId('zzz', l)).toThrow(NotFoundError);
    expect(() => resolveContainerId('abc', l)).toThrow('Multiple IDs found with provided prefix: abc');
    expect(() => resolveContainerId('abc', l)).toThrow(InvalidParameterError);
    expect(() => resolveContainerId('', l)).toThrow('invalid name or ID supplied: ""');
  });
});

describe('ContainerStore', () => {
  interface Doc {
    Image: string;
    RestartCount: number;
  }

  it('creates with a name atomically, lists newest first, removes with names', () => {
    const store = new ContainerStore<Doc>(db);
    expect(store.create(A, 1n, { Image: 'busybox', RestartCount: 0 }, 'web')).toBe('/web');
    expect(store.create(B, 2_000_000_000_000_000_000n, { Image: 'redis', RestartCount: 0 }, '')).toMatch(/^\/[a-z]+_[a-z]+\d?$/);
    expect(() => store.create(C, 3n, { Image: 'x', RestartCount: 0 }, 'web')).toThrow(ConflictError);
    expect(store.get(C)).toBeUndefined();
    expect(store.list().map((c) => c.id)).toEqual([B, A]);
    expect(store.get(B)?.createdNs).toBe(2_000_000_000_000_000_000n);

    store.update(A, { Image: 'busybox', RestartCount: 3 });
    expect(store.get(A)?.record).toEqual({ Image: 'busybox', RestartCount: 3 });
    expect(() => store.update(C, { Image: 'x', RestartCount: 0 })).toThrow(`container ${C} is not in the store`);

    expect(store.remove(A)).toBe(true);
    expect(store.remove(A)).toBe(false);
    expect(store.names.idOf('web')).toBeUndefined();
  });
});
