import { chownSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SystemError } from '@berth/api-types';
import type { IdPair } from '@berth/graph-aufs';
import { isMounted, unmountLocal } from './local.js';

type Db = Database.Database;

/** A volume row: the local driver's volume. */
export interface VolumeRow {
  name: string;
  driver: string;
  createdNs: bigint;
  labels: Record<string, string>;
  /** The driver options as created; null when none were given (Docker shows `"Options": null`). */
  options: Record<string, string> | null;
}

interface Row {
  name: string;
  driver: string;
  created_ns: bigint;
  labels: string;
  options: string;
}

const fromRow = (r: Row): VolumeRow => ({
  name: r.name,
  driver: r.driver,
  createdNs: r.created_ns,
  labels: JSON.parse(r.labels) as Record<string, string>,
  options: JSON.parse(r.options) as Record<string, string> | null,
});

/**
 * Volumes in the engine database, their data under `<root>/volumes/<name>/_data` (the local
 * driver's layout). A volume's dir is made before its row is committed; opening the store
 * removes dirs no row references (a create cut short).
 */
export class VolumeStore {
  readonly dir: string;
  private readonly insertRow;
  private readonly selectRow;
  private readonly selectAll;
  private readonly deleteRow;

  /** `dataOwner`: who owns new volumes' data (the remapped root under `--userns-remap`). */
  constructor(
    db: Db,
    root: string,
    private readonly dataOwner?: IdPair,
  ) {
    this.dir = join(root, 'volumes');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.insertRow = db.prepare('INSERT INTO volumes (name, driver, created_ns, labels, options) VALUES (?, ?, ?, ?, ?)');
    this.selectRow = db.prepare<[string], Row>('SELECT * FROM volumes WHERE name = ?').safeIntegers(true);
    this.selectAll = db.prepare<[], Row>('SELECT * FROM volumes ORDER BY name').safeIntegers(true);
    this.deleteRow = db.prepare('DELETE FROM volumes WHERE name = ?');
    const known = new Set(this.list().map((v) => v.name));
    for (const name of readdirSync(this.dir)) if (!known.has(name)) this.removeDir(name);
  }

  dataPath(name: string): string {
    return join(this.dir, name, '_data');
  }

  get(name: string): VolumeRow | undefined {
    const r = this.selectRow.get(name);
    return r && fromRow(r);
  }

  list(): VolumeRow[] {
    return this.selectAll.all().map(fromRow);
  }

  insert(v: VolumeRow): void {
    mkdirSync(this.dataPath(v.name), { recursive: true, mode: 0o755 });
    try {
      if (this.dataOwner) chownSync(this.dataPath(v.name), this.dataOwner.uid, this.dataOwner.gid);
      this.insertRow.run(v.name, v.driver, v.createdNs, JSON.stringify(v.labels), JSON.stringify(v.options));
    } catch (e) {
      this.removeDir(v.name);
      throw e;
    }
  }

  delete(name: string): void {
    this.removeDir(name);
    this.deleteRow.run(name);
  }

  /** Never recurses into a mount: a bind-type volume's data is the host's. */
  private removeDir(name: string): void {
    const data = this.dataPath(name);
    unmountLocal(data);
    if (isMounted(data)) throw new SystemError(`remove ${name}: volume data is still mounted`);
    rmSync(join(this.dir, name), { recursive: true, force: true });
  }
}
