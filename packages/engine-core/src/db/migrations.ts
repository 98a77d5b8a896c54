import Database from 'better-sqlite3';

type Db = Database.Database;

/**
 * The engine database's schema, one step per entry; step N brings `user_version` from N-1 to
 * N. Steps are only ever appended: a released step never changes.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: containers and their names. A name is '/web'; a link alias is '/web/db' (Docker's
  // graph paths). The primary key on name is what makes a reservation atomic.
  `CREATE TABLE containers (
     id          TEXT PRIMARY KEY,
     created_ns  INTEGER NOT NULL,
     record      TEXT NOT NULL
   ) STRICT;
   CREATE TABLE container_names (
     name          TEXT PRIMARY KEY,
     container_id  TEXT NOT NULL
   ) STRICT;
   CREATE INDEX container_names_by_id ON container_names (container_id);`,
  // 2: volumes of the local driver; labels and options are JSON objects.
  `CREATE TABLE volumes (
     name        TEXT PRIMARY KEY,
     driver      TEXT NOT NULL,
     created_ns  INTEGER NOT NULL,
     labels      TEXT NOT NULL,
     options     TEXT NOT NULL
   ) STRICT;`,
  // 3: user-defined networks (bridge, host and none are made at each start).
  `CREATE TABLE networks (
     id      TEXT PRIMARY KEY,
     name    TEXT NOT NULL UNIQUE,
     record  TEXT NOT NULL
   ) STRICT;`,
];

/** Applies the steps `db` has not seen, each in its own transaction. Returns the new version. */
export function migrate(db: Db, steps: readonly string[] = MIGRATIONS): number {
  let version = db.pragma('user_version', { simple: true }) as number;
  if (version > steps.length) {
    throw new Error(`database schema version ${version} is newer than this engine (${steps.length})`);
  }
  for (; version < steps.length; version++) {
    const step = steps[version] as string;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return version;
}

/** Opens (creating if needed) the engine database `<root>/berth.db`: WAL, foreign keys, migrated. */
export function openEngineDb(path: string): Db {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
