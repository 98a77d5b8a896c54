import type Database from 'better-sqlite3';
import type { NetworkRecord } from './record.js';

/** The user-defined networks in the engine's database. */
export class NetworkStore {
  constructor(private readonly db: Database.Database) {}

  list(): NetworkRecord[] {
    return (this.db.prepare('SELECT record FROM networks ORDER BY name').all() as Array<{ record: string }>).map((r) => JSON.parse(r.record) as NetworkRecord);
  }

  /** Adds a network; false when its name is taken. */
  add(n: NetworkRecord): boolean {
    try {
      this.db.prepare('INSERT INTO networks (id, name, record) VALUES (?, ?, ?)').run(n.Id, n.Name, JSON.stringify(n));
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
      throw e;
    }
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }
}
