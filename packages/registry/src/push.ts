// Push: layers (existence check, cross-repository mount, upload) concurrently, then the config
// and a schema2 manifest under the tag.
import { Readable } from 'node:stream';
import type { RegistryClient } from './client.js';
import { sha256Digest } from './digest.js';
import { MediaType } from './manifest.js';
import { auxMessage, layerMessage, progressMessage, shortId, statusMessage, type ProgressSink } from './progress.js';
import { canonicalName, DEFAULT_TAG, type Reference } from './reference.js';
import { DEFAULT_RETRY, Limiter, withRetries, type RetryPolicy } from './transfer.js';

export interface PushLayer {
  /** Digest and size of the blob as uploaded (usually the gzip-compressed tar). */
  digest: string;
  size: number;
  /** Default `application/vnd.docker.image.rootfs.diff.tar.gzip`. */
  mediaType?: string;
  /** The layer's diffID: Docker shows push progress under it. */
  diffID?: string;
  /** Opens the blob's bytes (again, on a retry). */
  open(): Readable;
  /** Repositories on the same registry known to hold this blob, for a cross-repository mount. */
  mountFrom?: string[];
}

/** What a push needs from the image store: one image's config and layer blobs, root first. */
export interface PushSource {
  config: Uint8Array;
  /** Default `application/vnd.docker.container.image.v1+json`. */
  configMediaType?: string;
  layers: PushLayer[];
  /** Default schema2; OCI media types give an OCI manifest. */
  manifestMediaType?: string;
}

export interface PushOptions {
  progress?: ProgressSink;
  /** Concurrent layer uploads (default 5, as dockerd's max-concurrent-uploads). */
  concurrency?: number;
  /** Bytes per PATCH request; 0 (default) streams each blob in one PATCH. */
  chunkSize?: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
}

export interface PushResult {
  tag: string;
  digest: string;
  size: number;
  manifest: Uint8Array;
}

export async function push(client: RegistryClient, ref: Reference, source: PushSource, opts: PushOptions = {}): Promise<PushResult> {
  const emit = opts.progress ?? (() => undefined);
  const tag = ref.tag ?? DEFAULT_TAG;
  const repo = ref.path;
  emit(statusMessage(`The push refers to repository [${canonicalName(ref)}]`));
  const limiter = new Limiter(opts.concurrency ?? 5);
  // Docker lists layers top first while preparing.
  const order = [...source.layers].reverse();
  for (const l of order) emit(layerMessage(idOf(l), 'Preparing'));
  const uploads = order.map((l) => {
    const id = idOf(l);
    if (limiter.busy) emit(layerMessage(id, 'Waiting'));
    return limiter.run(() =>
      withRetries(
        opts.retry ?? DEFAULT_RETRY,
        async () => {
          const result = await client.uploadBlob(repo, l.digest, l.size, l.open, {
            mountFrom: l.mountFrom ?? [],
            chunkSize: opts.chunkSize ?? 0,
            onProgress: throttled((n) => emit(progressMessage(id, 'Pushing', n, l.size)), l.size),
            ...(opts.signal ? { signal: opts.signal } : {}),
          });
          if (result.kind === 'exists') emit(layerMessage(id, 'Layer already exists'));
          else if (result.kind === 'mounted') emit(layerMessage(id, `Mounted from ${result.from}`));
          else emit(layerMessage(id, 'Pushed'));
        },
        (left) => emit(layerMessage(id, `Retrying in ${left} second${left === 1 ? '' : 's'}`)),
        opts.signal,
      ),
    );
  });
  for (const u of uploads) u.catch(() => undefined);
  for (const u of uploads) await u;

  const configDigest = sha256Digest(source.config);
  const configBytes = Buffer.from(source.config);
  await client.uploadBlob(repo, configDigest, configBytes.length, () => Readable.from([configBytes]));

  const manifest = buildManifest(source, configDigest);
  const digest = await client.putManifest(repo, tag, manifest, manifestMediaType(source));
  emit(statusMessage(`${tag}: digest: ${digest} size: ${manifest.length}`));
  emit(auxMessage({ Tag: tag, Digest: digest, Size: manifest.length }));
  return { tag, digest, size: manifest.length, manifest };
}

/** At most one report every 100 ms, as Docker's progress reader, and always the last one. */
function throttled(report: (n: number) => void, total: number): (n: number) => void {
  let last = 0;
  return (n) => {
    const now = Date.now();
    if (n < total && now - last < 100) return;
    last = now;
    report(n);
  };
}

function idOf(l: PushLayer): string {
  return shortId(l.diffID ?? l.digest);
}

function manifestMediaType(source: PushSource): string {
  return source.manifestMediaType ?? MediaType.schema2;
}

/** A schema2 (or OCI) manifest, indented with three spaces as distribution marshals it. */
export function buildManifest(source: PushSource, configDigest: string): Uint8Array {
  const oci = manifestMediaType(source) === MediaType.ociManifest;
  const m = {
    schemaVersion: 2,
    mediaType: manifestMediaType(source),
    config: {
      mediaType: source.configMediaType ?? (oci ? MediaType.ociConfig : MediaType.dockerConfig),
      size: source.config.length,
      digest: configDigest,
    },
    layers: source.layers.map((l) => ({
      mediaType: l.mediaType ?? (oci ? MediaType.ociLayerGzip : MediaType.dockerLayer),
      size: l.size,
      digest: l.digest,
    })),
  };
  return Buffer.from(JSON.stringify(m, null, 3));
}
