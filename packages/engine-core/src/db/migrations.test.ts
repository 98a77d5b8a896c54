import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openEngineDb } from './index.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'berth-db-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('engine database', () => {
  it('opens in WAL mode with the current schema, and reopens without migrating again', () => {
    const path = join(dir, 'berth.db');
    const db = openEngineDb(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
      expect(tables).toEqual(['container_names', 'containers', 'networks', 'volumes']);
    } finally {
      db.close();
    }
    const again = openEngineDb(path);
    expect(migrate(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('applies only new steps, and refuses a newer schema', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, ['CREATE TABLE a (x)'])).toBe(1);
      expect(migrate(db, ['CREATE TABLE a (x)', 'CREATE TABLE b (y)'])).toBe(2);
      expect(() => migrate(db, ['CREATE TABLE a (x)'])).toThrow(
        'database schema version 2 is newer than this engine (1)',
      );
    } finally {
      db.close();
    }
  });

  it('rolls back a failing step', () => {
    const db = new Database(':memory:');
    try {
      expect(() => migrate(db, ['CREATE TABLE a (x); CREATE TABLE a (x)'])).toThrow();
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
