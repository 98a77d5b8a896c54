import type Database from 'better-sqlite3';
import type { RandomIntFn } from '@berth/namesgenerator';
import { NameStore } from './store.js';

type Db = Database.Database;

/** A container row: its ID, creation instant and the engine's JSON document about it. */
export interface StoredContainer<R> {
  id: string;
  createdNs: bigint;
  record: R;
}

/**
 * Containers in the engine database. Creating one inserts its row and reserves its name in one
 * transaction; removing it drops its names with it. `R` is the engine's container document.
 */
export class ContainerStore<R extends object> {
  readonly names: NameStore;
  private readonly insertRow;
  private readonly updateRow;
  private readonly selectRow;
  private readonly selectAll;
  private readonly deleteRow;

  constructor(private readonly db: Db) {
    this.names = new NameStore(db);
    this.insertRow = db.prepare('INSERT INTO containers (id, created_ns, record) VALUES (?, ?, ?)');
    this.updateRow = db.prepare('UPDATE containers SET record = ? WHERE id = ?');
    this.selectRow = db.prepare<[string], { id: string; created_ns: bigint; record: string }>(
      'SELECT id, created_ns, record FROM containers WHERE id = ?',
    );
    this.selectAll = db.prepare<[], { id: string; created_ns: bigint; record: string }>(
      'SELECT id, created_ns, record FROM containers ORDER BY created_ns DESC, id',
    );
    this.deleteRow = db.prepare('DELETE FROM containers WHERE id = ?');
    this.selectRow.safeIntegers(true);
    this.selectAll.safeIntegers(true);
  }

  /**
   * Adds a container under `name` (user-supplied, validated) or a generated one when `name` is
   * empty. Returns the name it got, with its `/`. Nothing is stored if the name is refused.
   */
  create(id: string, createdNs: bigint, record: R, name: string, random?: RandomIntFn): string {
    return this.db.transaction(() => {
      this.insertRow.run(id, createdNs, JSON.stringify(record));
      return name === '' ? this.names.reserveGenerated(id, random) : this.names.reserve(name, id);
    })();
  }

  update(id: string, record: R): void {
    if (this.updateRow.run(JSON.stringify(record), id).changes === 0) {
      throw new Error(`container ${id} is not in the store`);
    }
  }

  get(id: string): StoredContainer<R> | undefined {
    const row = this.selectRow.get(id);
    return row && { id: row.id, createdNs: row.created_ns, record: JSON.parse(row.record) as R };
  }

  /** All containers, newest first (the order of `docker ps`). */
  list(): StoredContainer<R>[] {
    return this.selectAll.all().map((row) => ({ id: row.id, createdNs: row.created_ns, record: JSON.parse(row.record) as R }));
  }

  /** Removes the container and all its names; false if it was not there. */
  remove(id: string): boolean {
    return this.db.transaction(() => {
      this.names.releaseAll(id);
      return this.deleteRow.run(id).changes > 0;
    })();
  }
}
