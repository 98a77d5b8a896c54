// Pull: manifest (through an index to the wanted platform), config, then layers downloaded
// concurrently, verified, and handed to the store in order (streamed into it when possible).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline as pipe, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { FetchedManifest, RegistryClient } from './client.js';
import { sha256Digest } from './digest.js';
import { RegistryError } from './errors.js';
import {
  configFromSchema1,
  hostPlatform,
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

/** A layer blob of the image, as the manifest names it. */
export interface LayerBlob {
  /** Position in the image, root first. */
  index: number;
  /** Digest of the blob as stored in the registry (compressed). */
  digest: string;
  mediaType: string;
  /** Bytes of the blob; 0 when the manifest does not say (schema1) and it is not downloaded yet. */
  size: number;
}

export interface PulledLayer extends LayerBlob {
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
   * Stores one layer and returns its diffID; called root first, each after the previous one
   * returned. `data` is the blob (gzip or plain tar), possibly still downloading, and must be
   * read to its end: it fails there when the blob does not match its digest, and then nothing
   * of the layer may stay. `below` are the image's layers under it, root first.
   */
  putLayer(layer: LayerBlob, data: Readable, below: readonly PulledLayer[]): Promise<string>;
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

type Blob = Omit<LayerBlob, 'index'>;

/** A download's outcome: the layer stored as it arrived, a verified blob on disk, or the store's refusal. */
type Fetched = { kind: 'stored'; layer: PulledLayer } | { kind: 'spooled'; path: string; size: number } | { kind: 'refused'; error: unknown };

/**
 * Downloads missing layers (at most `concurrency` at once) and stores all of them in order. A
 * download whose layers below are all stored when it starts streams into the store (digest,
 * unpack and compressed copy in one pass); the others, and blobs the image holds twice, are
 * spooled to disk and stored from there when their turn comes.
 */
async function transferLayers(
  client: RegistryClient,
  repo: string,
  blobs: Blob[],
  opts: PullOptions,
  emit: ProgressSink,
): Promise<PulledLayer[]> {
  const limiter = new Limiter(opts.concurrency ?? 3);
  const staging = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'berth-pull-'));
  // Stops the other downloads once the pull has failed.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  try {
    const known = await Promise.all(blobs.map((b) => opts.store.layerDiffID(b.digest)));
    blobs.forEach((b, i) => emit(layerMessage(shortId(b.digest), known[i] !== undefined ? 'Already exists' : 'Pulling fs layer')));
    // The layers in the store, by index: known ones from the start, the others once stored.
    const stored: Array<PulledLayer | undefined> = blobs.map((b, i) => (known[i] === undefined ? undefined : { ...b, index: i, diffID: known[i] }));
    /** The layers under `i` if all of them are in the store, else undefined. */
    const storedBelow = (i: number): PulledLayer[] | undefined => {
      const below = stored.slice(0, i);
      return below.every((l) => l !== undefined) ? below : undefined;
    };
    const times = new Map<string, number>();
    blobs.forEach((b, i) => known[i] === undefined && times.set(b.digest, (times.get(b.digest) ?? 0) + 1));
    const seen = new Map<string, Promise<Fetched>>();
    const fetches = blobs.map((b, i) => {
      if (known[i] !== undefined) return undefined;
      // The same blob twice in one image is downloaded once.
      let p = seen.get(b.digest);
      if (!p) {
        const id = shortId(b.digest);
        if (limiter.busy) emit(layerMessage(id, 'Waiting'));
        const attempt = async (): Promise<Fetched> => {
          const below = times.get(b.digest) === 1 ? storedBelow(i) : undefined;
          if (!below) return spool(client, repo, b, join(staging, String(i)), emit, signal);
          const got = await streamInto(client, repo, { ...b, index: i }, below, opts.store, emit, signal);
          if (got.kind === 'stored') stored[i] = got.layer;
          return got;
        };
        p = limiter.run(() =>
          withRetries(
            opts.retry ?? DEFAULT_RETRY,
            attempt,
            (left) => emit(layerMessage(id, `Retrying in ${left} second${left === 1 ? '' : 's'}`)),
            signal,
          ),
        );
        seen.set(b.digest, p);
      }
      return p;
    });
    // Keep the other downloads from surfacing as unhandled rejections when one fails first.
    for (const f of fetches) f?.catch(() => undefined);
    for (const [i, b] of blobs.entries()) {
      const pending = fetches[i];
      if (pending === undefined) continue;
      const got = await pending;
      if (got.kind === 'refused') throw got.error;
      const id = shortId(b.digest);
      if (got.kind === 'spooled') {
        const blob: LayerBlob = { ...b, index: i, size: got.size };
        const counter = new ProgressCounter((n) => emit(progressMessage(id, 'Extracting', n, got.size)));
        const below = stored.slice(0, i) as PulledLayer[];
        stored[i] = { ...blob, diffID: await storeLayer(opts.store, blob, pipe(createReadStream(got.path), counter, () => undefined), below) };
      }
      emit(layerMessage(id, 'Pull complete'));
    }
    return stored as PulledLayer[];
  } finally {
    stop.abort();
    await rm(staging, { recursive: true, force: true });
  }
}

/** `putLayer`, with a layer that does not decompress reported as Docker does (not retried). */
async function storeLayer(store: PullStore, blob: LayerBlob, data: Readable, below: readonly PulledLayer[]): Promise<string> {
  try {
    return await store.putLayer(blob, data, below);
  } catch (err) {
    if (typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('Z_')) {
      throw new RegistryError(`could not get decompression stream: ${(err as Error).message}`, { code: 'BLOB_INVALID', cause: err });
    }
    throw err;
  }
}

/** Opens a blob with its `Downloading` progress; the stream fails at its end on a digest mismatch. */
async function openLayerBlob(client: RegistryClient, repo: string, blob: Blob, emit: ProgressSink, signal: AbortSignal) {
  const id = shortId(blob.digest);
  const { stream, size } = await client.openBlob(repo, blob.digest, signal);
  const total = blob.size > 0 ? blob.size : size;
  const counter = new ProgressCounter((n) => emit(progressMessage(id, 'Downloading', n, total)));
  // After the last `Downloading` count; the digest was checked before the counter saw the end.
  counter.once('finish', () => {
    emit(layerMessage(id, 'Verifying Checksum'));
    emit(layerMessage(id, 'Download complete'));
  });
  return { stream, counter };
}

/**
 * Downloads a blob straight into the store. A failure of the download (network, digest) is
 * thrown, to be retried or not; the store's own failure is returned as `refused`, after the
 * rest of the blob was checked: a corrupt blob is reported as such, as if checked first.
 */
async function streamInto(
  client: RegistryClient,
  repo: string,
  blob: LayerBlob,
  below: readonly PulledLayer[],
  store: PullStore,
  emit: ProgressSink,
  signal: AbortSignal,
): Promise<Fetched> {
  const { stream, counter } = await openLayerBlob(client, repo, blob, emit, signal);
  let failed: Error | undefined;
  const forward = (e: Error): void => {
    failed ??= e;
    counter.destroy(e);
  };
  stream.on('error', forward);
  try {
    const diffID = await storeLayer(store, blob, stream.pipe(counter), below);
    return { kind: 'stored', layer: { ...blob, size: counter.bytes, diffID } };
  } catch (err) {
    if (failed) throw failed;
    // The store stopped reading; read the rest to learn whether the blob was intact.
    stream.off('error', forward);
    stream.unpipe(counter);
    counter.destroy();
    stream.resume();
    await finished(stream);
    return { kind: 'refused', error: err };
  }
}

/** Downloads a verified blob to `path`. */
async function spool(client: RegistryClient, repo: string, blob: Blob, path: string, emit: ProgressSink, signal: AbortSignal): Promise<Fetched> {
  const { stream, counter } = await openLayerBlob(client, repo, blob, emit, signal);
  await pipeline(stream, counter, createWriteStream(path));
  return { kind: 'spooled', path, size: counter.bytes };
}
