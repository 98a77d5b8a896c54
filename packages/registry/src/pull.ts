// Pull: manifest (through an index to the wanted platform), config, then layers downloaded
// concurrently to temporary files, verified, and handed to the store in order.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { FetchedManifest, RegistryClient } from './client.js';
import { sha256Digest } from './digest.js';
import { RegistryError } from './errors.js';
import {
  configFromSchema1,
  hostPlatform,
  isGzipLayer,
  isSupportedLayer,
  parseManifest,
  schema1Layers,
  selectPlatform,
  type Platform,
  type Schema1Manifest,
} from './manifest.js';
import { layerMessage, progressMessage, ProgressCounter, shortId, statusMessage, type ProgressSink } from './progress.js';
import { familiarName, familiarString, manifestReference, type Reference } from './reference.js';
import { DEFAULT_RETRY, Limiter, withRetries, type RetryPolicy } from './transfer.js';

export interface PulledLayer {
  /** Position in the image, root first. */
  index: number;
  /** Digest of the blob as stored in the registry (compressed). */
  digest: string;
  mediaType: string;
  size: number;
  /** sha256 of the uncompressed tar. */
  diffID: string;
}

export interface PulledImage {
  reference: Reference;
  /** The manifest the tag or digest named (an index when the image is multi-platform). */
  manifest: FetchedManifest;
  /** The platform's image manifest when `manifest` is an index, else the same as `manifest`. */
  imageManifest: FetchedManifest;
  /** The image config; for schema1 images, built from the v1Compatibility history. */
  config: { bytes: Uint8Array; digest: string };
  layers: PulledLayer[];
}

/** What a pull needs from the image store. */
export interface PullStore {
  /** The diffID of a layer already stored for this blob digest, if any (shown as `Already exists`). */
  layerDiffID(digest: string): Promise<string | undefined>;
  /**
   * Stores one verified layer; called root first, each after the previous one returned.
   * `data` is the blob as downloaded (gzip or plain tar) and must be read to its end; `below`
   * are the image's layers under it, root first.
   */
  putLayer(layer: PulledLayer, data: Readable, below: readonly PulledLayer[]): Promise<void>;
  /** Records the image and its tag; returns false when the tag already named this image. */
  putImage(image: PulledImage): Promise<boolean>;
}

export interface PullOptions {
  store: PullStore;
  progress?: ProgressSink;
  /** Platform to choose from an index (default: this host's, linux/amd64 here). */
  platform?: Platform;
  /** Concurrent layer downloads (default 3, as dockerd's max-concurrent-downloads). */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Where downloads are staged before verification (default the OS temp dir). */
  tmpDir?: string;
  signal?: AbortSignal;
}

export async function pull(client: RegistryClient, ref: Reference, opts: PullOptions): Promise<PulledImage> {
  const emit = opts.progress ?? (() => undefined);
  const reference = manifestReference(ref);
  const named: Reference = ref.digest === undefined ? { ...ref, tag: reference } : ref;
  const manifest = await fetchManifest(client, ref, reference);
  // After the manifest, as Docker: a missing image fails before any progress is written.
  emit(statusMessage(`Pulling from ${ref.path}`, reference));
  let imageManifest = manifest;
  let parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind === 'index') {
    const chosen = selectPlatform(parsed, opts.platform ?? hostPlatform());
    imageManifest = await client.getManifest(ref.path, chosen.digest);
    parsed = parseManifest(imageManifest.bytes, imageManifest.mediaType);
    if (parsed.kind === 'index') throw new RegistryError('invalid manifest: an index inside an index');
  }
  const blobs =
    parsed.kind === 'schema1'
      ? schema1Layers(parsed).layers.map((l) => ({ digest: l.digest, mediaType: '', size: 0 }))
      : parsed.layers;
  let config: PulledImage['config'] | undefined;
  if (parsed.kind === 'image') {
    const { stream } = await client.openBlob(ref.path, parsed.config.digest, opts.signal);
    const bytes = await readAll(stream);
    config = { bytes, digest: parsed.config.digest };
  }
  for (const b of blobs) {
    if (!isSupportedLayer(b.mediaType)) throw new RegistryError(`unsupported layer media type: ${b.mediaType}`);
  }
  const layers = await transferLayers(client, ref.path, blobs, opts, emit);
  if (parsed.kind === 'schema1') {
    const bytes = configFromSchema1(parsed as Schema1Manifest, layers.map((l) => l.diffID));
    config = { bytes, digest: sha256Digest(bytes) };
  }
  const image: PulledImage = { reference: named, manifest, imageManifest, config: config as PulledImage['config'], layers };
  const updated = await opts.store.putImage(image);
  emit(statusMessage(`Digest: ${manifest.digest}`));
  const shown = familiarString(named);
  emit(statusMessage(updated ? `Status: Downloaded newer image for ${shown}` : `Status: Image is up to date for ${shown}`));
  return image;
}

async function fetchManifest(client: RegistryClient, ref: Reference, reference: string): Promise<FetchedManifest> {
  try {
    return await client.getManifest(ref.path, reference);
  } catch (err) {
    if (!(err instanceof RegistryError)) throw err;
    if (err.code === 'MANIFEST_UNKNOWN' || err.code === 'NOT_FOUND' || (err.status === 404 && err.code !== 'NAME_UNKNOWN')) {
      const shown = familiarString(ref.digest === undefined ? { ...ref, tag: reference } : ref);
      throw new RegistryError(`manifest for ${shown} not found: ${err.message}`, {
        status: 404,
        code: 'MANIFEST_UNKNOWN',
        cause: err,
      });
    }
    if (err.code === 'UNAUTHORIZED' || err.code === 'DENIED' || err.code === 'NAME_UNKNOWN') {
      throw new RegistryError(
        `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': ${err.message}`,
        { status: err.status ?? 401, code: err.code, cause: err },
      );
    }
    throw err;
  }
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

interface Blob {
  digest: string;
  mediaType: string;
  size: number;
}

/** Downloads missing layers (at most `concurrency` at once) and registers all of them in order. */
async function transferLayers(
  client: RegistryClient,
  repo: string,
  blobs: Blob[],
  opts: PullOptions,
  emit: ProgressSink,
): Promise<PulledLayer[]> {
  const limiter = new Limiter(opts.concurrency ?? 3);
  const staging = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'berth-pull-'));
  try {
    const known = await Promise.all(blobs.map((b) => opts.store.layerDiffID(b.digest)));
    blobs.forEach((b, i) => emit(layerMessage(shortId(b.digest), known[i] !== undefined ? 'Already exists' : 'Pulling fs layer')));
    const seen = new Map<string, Promise<Downloaded>>();
    const downloads = blobs.map((b, i) => {
      if (known[i] !== undefined) return undefined;
      // The same blob twice in one image is downloaded once.
      let p = seen.get(b.digest);
      if (!p) {
        const id = shortId(b.digest);
        if (limiter.busy) emit(layerMessage(id, 'Waiting'));
        p = limiter.run(() =>
          withRetries(
            opts.retry ?? DEFAULT_RETRY,
            () => download(client, repo, b, join(staging, String(i)), emit, opts.signal),
            (left) => emit(layerMessage(id, `Retrying in ${left} second${left === 1 ? '' : 's'}`)),
            opts.signal,
          ),
        );
        seen.set(b.digest, p);
      }
      return p;
    });
    // Keep the other downloads from surfacing as unhandled rejections when one fails first.
    for (const d of downloads) d?.catch(() => undefined);
    const layers: PulledLayer[] = [];
    for (const [i, b] of blobs.entries()) {
      const pending = downloads[i];
      if (pending === undefined) {
        layers.push({ index: i, digest: b.digest, mediaType: b.mediaType, size: b.size, diffID: known[i] as string });
        continue;
      }
      const got = await pending;
      const layer: PulledLayer = { index: i, digest: b.digest, mediaType: b.mediaType, size: got.size, diffID: got.diffID };
      const id = shortId(b.digest);
      const counter = new ProgressCounter((n) => emit(progressMessage(id, 'Extracting', n, got.size)));
      const source = createReadStream(got.path).pipe(counter);
      await opts.store.putLayer(layer, source, layers);
      emit(layerMessage(id, 'Pull complete'));
      layers.push(layer);
    }
    return layers;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

interface Downloaded {
  path: string;
  size: number;
  diffID: string;
}

async function download(
  client: RegistryClient,
  repo: string,
  blob: Blob,
  path: string,
  emit: ProgressSink,
  signal?: AbortSignal,
): Promise<Downloaded> {
  const id = shortId(blob.digest);
  const { stream, size } = await client.openBlob(repo, blob.digest, signal);
  const total = blob.size > 0 ? blob.size : size;
  const diff = new DiffIdTap(isGzipLayer(blob.mediaType) ? 'gzip' : 'tar');
  const counter = new ProgressCounter((n) => emit(progressMessage(id, 'Downloading', n, total)));
  await pipeline(stream, counter, diff, createWriteStream(path));
  emit(layerMessage(id, 'Verifying Checksum'));
  emit(layerMessage(id, 'Download complete'));
  return { path, size: diff.bytes, diffID: await diff.diffID };
}

/**
 * Passes a layer blob through while hashing its uncompressed form: the diffID. Schema1 blobs
 * carry no media type, so `gzip` also accepts an uncompressed tar (sniffed by the magic bytes).
 */
class DiffIdTap extends Transform {
  bytes = 0;
  readonly diffID: Promise<string>;
  private readonly hash = createHash('sha256');
  private gunzip: ReturnType<typeof createGunzip> | undefined;
  private decided = false;
  private failure: Error | undefined;
  private waiting: TransformCallback | undefined;
  private resolve!: (d: string) => void;
  private reject!: (e: Error) => void;

  constructor(private readonly kind: 'gzip' | 'tar') {
    super();
    this.diffID = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.diffID.catch(() => undefined);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.failure) return cb(this.failure);
    if (!this.decided) {
      this.decided = true;
      if (this.kind === 'gzip' && chunk[0] === 0x1f && chunk[1] === 0x8b) this.startGunzip();
    }
    this.bytes += chunk.length;
    if (!this.gunzip) {
      this.hash.update(chunk);
      return cb(null, chunk);
    }
    if (this.gunzip.write(chunk)) return cb(null, chunk);
    // Wait for the decompressor to catch up, unless it fails meanwhile.
    this.waiting = cb;
    this.gunzip.once('drain', () => {
      this.waiting = undefined;
      cb(null, chunk);
    });
  }

  private startGunzip(): void {
    const gunzip = createGunzip();
    gunzip.on('data', (d: Buffer) => this.hash.update(d));
    gunzip.on('error', (e) => {
      this.failure = new RegistryError(`could not get decompression stream: ${e.message}`, { code: 'BLOB_INVALID' });
      this.reject(this.failure);
      this.waiting?.(this.failure);
      this.waiting = undefined;
    });
    gunzip.on('end', () => this.resolve(`sha256:${this.hash.digest('hex')}`));
    this.gunzip = gunzip;
  }

  override _flush(cb: TransformCallback): void {
    if (this.gunzip) {
      this.gunzip.end();
      this.diffID.then(() => cb(), cb);
    } else {
      this.resolve(`sha256:${this.hash.digest('hex')}`);
      cb();
    }
  }
}
