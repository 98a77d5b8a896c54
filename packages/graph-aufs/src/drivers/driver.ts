import type { Readable } from 'node:stream';
import type { Change } from '../archive/changes.js';
import type { WhiteoutFormat } from '../archive/whiteout.js';

/** A storage driver: layer directories, union mounts and diffs. IDs are the driver's cache IDs. */
export interface Driver {
  readonly name: string;
  /** How deletions are stored in this driver's layers. */
  readonly whiteouts: WhiteoutFormat;
  /** Creates an empty layer on `parent` (vfs: a copy of it). */
  create(id: string, parent: string | null): void;
  remove(id: string): void;
  exists(id: string): boolean;
  /** Every layer ID present on disk, complete or not. */
  ids(): string[];
  /** Mounts the layer (reference-counted) and returns its root filesystem path. */
  get(id: string): string;
  /** Releases one `get`; the last one unmounts. */
  put(id: string): void;
  /** Unpacks a layer tar (AUFS whiteouts) into the layer; returns the bytes of file content. */
  applyDiff(id: string, parent: string | null, tar: Readable): Promise<number>;
  /** The layer's own changes as a tar with AUFS whiteouts. */
  diff(id: string, parent: string | null): Readable;
  changes(id: string, parent: string | null): Change[];
  /** Bytes of file content the layer adds or changes. */
  diffSize(id: string, parent: string | null): number;
  /** Lines for `docker info` under "Storage Driver". */
  status(): Array<[string, string]>;
  /** Unmounts everything this driver mounted. */
  cleanup(): void;
}
