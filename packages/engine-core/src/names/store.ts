import type Database from 'better-sqlite3';
import { ConflictError, InvalidParameterError, containerNameConflict } from '@berth/api-types';
import { allocateName, type RandomIntFn } from '@berth/namesgenerator';
import { canonicalContainerName } from './validate.js';

type Db = Database.Database;

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Container names in the engine database (Docker's name graph). A name is held by one
 * container; reserving one is a single INSERT, so two concurrent creates cannot both get it.
 */
export class NameStore {
  private readonly insert;
  private readonly holderOf;
  private readonly deleteName;
  private readonly deleteAll;
  private readonly namesOfId;
  private readonly everything;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO container_names (name, container_id) VALUES (?, ?)');
    this.holderOf = db.prepare<[string], { container_id: string }>('SELECT container_id FROM container_names WHERE name = ?');
    this.deleteName = db.prepare('DELETE FROM container_names WHERE name = ?');
    this.deleteAll = db.prepare('DELETE FROM container_names WHERE container_id = ?');
    this.namesOfId = db.prepare<[string], { name: string }>('SELECT name FROM container_names WHERE container_id = ? ORDER BY name');
    this.everything = db.prepare<[], { name: string; container_id: string }>('SELECT name, container_id FROM container_names ORDER BY name');
  }

  /** Reserves a user-supplied name for `id`; returns it with its `/`. Throws Docker's 400 or 409. */
  reserve(name: string, id: string): string {
    const full = canonicalContainerName(name);
    if (!this.tryReserve(full, id)) {
      throw containerNameConflict(full, this.idOf(full) ?? '');
    }
    return full;
  }

  /** Reserves a generated name for `id` (adjective_surname, then with a digit, then the short ID). */
  reserveGenerated(id: string, random?: RandomIntFn): string {
    return allocateName(id, (n) => this.tryReserve(n, id), random);
  }

  /** Records the link alias `/<parent>/<alias>` of `childId` (shown by ps under the child). */
  addLink(parentName: string, alias: string, childId: string): string {
    const full = `${canonicalContainerName(parentName)}/${alias}`;
    if (!this.tryReserve(full, childId)) {
      throw new ConflictError(`Conflict: a link named ${full} already exists`);
    }
    return full;
  }

  /** The container holding `name` (with or without `/`), if any. */
  idOf(name: string): string | undefined {
    return this.holderOf.get(name.startsWith('/') ? name : `/${name}`)?.container_id;
  }

  /** Every name of `id`: its own and link aliases, sorted. */
  namesOf(id: string): string[] {
    return this.namesOfId.all(id).map((r) => r.name);
  }

  /** Every name of every container (for `ps`). */
  all(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const { name, container_id } of this.everything.all()) {
      const list = out.get(container_id);
      if (list) list.push(name);
      else out.set(container_id, [name]);
    }
    return out;
  }

  release(name: string): boolean {
    return this.deleteName.run(name.startsWith('/') ? name : `/${name}`).changes > 0;
  }

  /** Drops every name and link alias of `id` (when the container is removed). */
  releaseAll(id: string): number {
    return this.deleteAll.run(id).changes;
  }

  /**
   * Renames `id` from `oldName` to `newName` in one transaction, moving link aliases under the
   * new name, with Docker's messages. Returns the new name with its `/`.
   */
  rename(id: string, oldName: string, newName: string): string {
    if (oldName === '' || newName === '') {
      throw new InvalidParameterError('Neither old nor new names may be empty');
    }
    const from = oldName.startsWith('/') ? oldName : `/${oldName}`;
    const to = newName.startsWith('/') ? newName : `/${newName}`;
    if (from === to) throw new InvalidParameterError('Renaming a container with the same name as its current name');
    return this.db.transaction(() => {
      let full: string;
      try {
        full = this.reserve(to, id);
      } catch (e) {
        if (e instanceof ConflictError) throw new ConflictError(`Error when allocating new name: ${e.message}`);
        throw e;
      }
      this.deleteName.run(from);
      // Aliases of the containers this one links to live under its name.
      this.db
        .prepare("UPDATE container_names SET name = ? || substr(name, ?) WHERE name LIKE ? ESCAPE '\\'")
        .run(full, from.length + 1, `${from.replace(/[\\%_]/g, (c) => '\\' + c)}/%`);
      return full;
    })();
  }

  private tryReserve(full: string, id: string): boolean {
    try {
      this.insert.run(full, id);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }
}
