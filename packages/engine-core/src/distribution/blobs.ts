import type { Db } from '@berth/graph-aufs';

/** A registry blob known to hold a layer: where it was pulled from or pushed to. */
export interface KnownBlob {
  digest: string;
  diffId: string;
  size: number;
  /** Canonical repository, `127.0.0.1:5000/team/app`. */
  repo: string;
}

/**
 * Docker's v2 metadata: which registry blobs hold which layer (diffID). A pull uses it to say
 * `Already exists`; a push to skip blobs the registry has, or mount them from another repository.
 */
export class BlobIndex {
  constructor(private readonly db: Db) {
    // Created here rather than as an engine migration: the table belongs to this module alone.
    db.exec(`CREATE TABLE IF NOT EXISTS distribution_blobs (
      digest TEXT NOT NULL, diff_id TEXT NOT NULL, size INTEGER NOT NULL, repo TEXT NOT NULL,
      PRIMARY KEY (digest, repo)) STRICT;
      CREATE INDEX IF NOT EXISTS distribution_blobs_by_diff ON distribution_blobs (diff_id);`);
  }

  record(b: KnownBlob): void {
    this.db
      .prepare('INSERT OR REPLACE INTO distribution_blobs (digest, diff_id, size, repo) VALUES (?, ?, ?, ?)')
      .run(b.digest, b.diffId, b.size, b.repo);
  }

  /** The diffID a blob digest unpacks to, if known. */
  diffIdOf(digest: string): string | undefined {
    return (this.db.prepare('SELECT diff_id FROM distribution_blobs WHERE digest = ? LIMIT 1').get(digest) as { diff_id: string } | undefined)?.diff_id;
  }

  /** Blobs known to hold a layer, in repositories of `domain`. */
  forLayer(diffId: string, domain: string): KnownBlob[] {
    const rows = this.db.prepare('SELECT digest, diff_id, size, repo FROM distribution_blobs WHERE diff_id = ? ORDER BY repo').all(diffId) as Array<{
      digest: string;
      diff_id: string;
      size: number;
      repo: string;
    }>;
    return rows
      .filter((r) => r.repo.startsWith(`${domain}/`))
      .map((r) => ({ digest: r.digest, diffId: r.diff_id, size: r.size, repo: r.repo }));
  }
}
