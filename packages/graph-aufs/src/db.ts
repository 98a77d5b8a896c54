import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS graph_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_layers (
  chain_id TEXT PRIMARY KEY,
  diff_id TEXT NOT NULL,
  parent TEXT REFERENCES graph_layers(chain_id),
  cache_id TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  tar_size INTEGER NOT NULL,
  refs INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS graph_rw_layers (
  name TEXT PRIMARY KEY,
  mount_id TEXT NOT NULL UNIQUE,
  init_id TEXT,
  parent TEXT REFERENCES graph_layers(chain_id),
  created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS graph_images (
  id TEXT PRIMARY KEY,
  config BLOB NOT NULL,
  parent TEXT,
  top_layer TEXT REFERENCES graph_layers(chain_id),
  created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS graph_refs (name TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES graph_images(id));
`;

/** Opens (or creates) the metadata database in WAL mode with the graph tables. */
export function openDb(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  ensureSchema(db);
  return db;
}

/** Creates the graph tables in a database someone else opened (the engine's shared db). */
export function ensureSchema(db: Db): void {
  db.exec(SCHEMA);
}
