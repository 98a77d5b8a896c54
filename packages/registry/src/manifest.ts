// Manifest formats: Docker schema2 and manifest lists, OCI manifests and indexes, schema1 (read only).
import { sha256Digest } from './digest.js';
import { RegistryError } from './errors.js';

export const MediaType = {
  schema2: 'application/vnd.docker.distribution.manifest.v2+json',
  manifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  schema1: 'application/vnd.docker.distribution.manifest.v1+json',
  schema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
} as const;

/** What a pull asks for, in the order Docker sends it. */
export const ACCEPT_MANIFESTS = [
  MediaType.ociIndex,
  MediaType.manifestList,
  MediaType.ociManifest,
  MediaType.schema2,
  MediaType.schema1Signed,
  MediaType.schema1,
];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform & { 'os.version'?: string; 'os.features'?: string[] };
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  kind: 'image';
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ManifestIndex {
  kind: 'index';
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export interface Schema1Manifest {
  kind: 'schema1';
  name: string;
  tag: string;
  architecture: string;
  /** Top layer first, as schema1 lists them. */
  fsLayers: { blobSum: string }[];
  history: { v1Compatibility: string }[];
}

export type Manifest = ImageManifest | ManifestIndex | Schema1Manifest;

interface RawManifest {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  name?: string;
  tag?: string;
  architecture?: string;
  fsLayers?: { blobSum: string }[];
  history?: { v1Compatibility: string }[];
  signatures?: { protected: string }[];
}

/** Parses manifest bytes; `contentType` from the response decides when the body does not say. */
export function parseManifest(bytes: Uint8Array, contentType?: string): Manifest {
  let raw: RawManifest;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as RawManifest;
  } catch {
    throw new RegistryError('invalid manifest: not JSON');
  }
  if (raw.schemaVersion === 1) {
    if (!Array.isArray(raw.fsLayers) || !Array.isArray(raw.history) || raw.fsLayers.length !== raw.history.length) {
      throw new RegistryError('invalid manifest: schema1 fsLayers and history do not match');
    }
    return {
      kind: 'schema1',
      name: raw.name ?? '',
      tag: raw.tag ?? '',
      architecture: raw.architecture ?? '',
      fsLayers: raw.fsLayers,
      history: raw.history,
    };
  }
  if (raw.schemaVersion !== 2) throw new RegistryError(`unsupported manifest schema version ${String(raw.schemaVersion)}`);
  const declared = raw.mediaType ?? contentType?.split(';')[0]?.trim() ?? '';
  if (Array.isArray(raw.manifests)) {
    return { kind: 'index', schemaVersion: 2, mediaType: declared || MediaType.ociIndex, manifests: raw.manifests };
  }
  if (raw.config && Array.isArray(raw.layers)) {
    return { kind: 'image', schemaVersion: 2, mediaType: declared || MediaType.ociManifest, config: raw.config, layers: raw.layers };
  }
  throw new RegistryError(`unsupported manifest media type and no default available: ${declared}`);
}

/**
 * The digest a registry gives a manifest. For a signed schema1 manifest that is the digest of
 * the payload without its signatures, rebuilt from the JWS protected header.
 */
export function manifestDigest(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8');
  let raw: RawManifest | undefined;
  try {
    raw = JSON.parse(text) as RawManifest;
  } catch {
    raw = undefined;
  }
  const protectedHeader = raw?.schemaVersion === 1 ? raw.signatures?.[0]?.protected : undefined;
  if (protectedHeader === undefined) return sha256Digest(bytes);
  const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { formatLength: number; formatTail: string };
  const payload = Buffer.concat([
    Buffer.from(bytes).subarray(0, header.formatLength),
    Buffer.from(header.formatTail, 'base64url'),
  ]);
  return sha256Digest(payload);
}

const archMap: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** The platform this process runs on, in OCI terms (`linux/amd64`, `linux/arm64/v8`). */
export function hostPlatform(): Platform {
  const architecture = archMap[process.arch] ?? process.arch;
  const p: Platform = { os: 'linux', architecture };
  if (architecture === 'arm64') p.variant = 'v8';
  if (architecture === 'arm') p.variant = 'v7';
  return p;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((x) => x).join('/');
}

/** `linux/arm64/v8` → a Platform; os defaults to linux when only an arch is given. */
export function parsePlatform(text: string): Platform {
  const parts = text.toLowerCase().split('/');
  if (parts.length === 1) return { os: 'linux', architecture: normalizeArch(parts[0] ?? '') };
  const [os = '', arch = '', variant] = parts;
  const p: Platform = { os, architecture: normalizeArch(arch) };
  if (variant) p.variant = variant;
  return p;
}

function normalizeArch(arch: string): string {
  if (arch === 'x86_64' || arch === 'x86-64') return 'amd64';
  if (arch === 'aarch64') return 'arm64';
  if (arch === 'i386') return '386';
  return arch;
}

/**
 * The index entry for a platform, as Docker picks it: same os and architecture; the wanted
 * variant when one is given (arm64 treats a missing variant as v8); attestations skipped.
 */
export function selectPlatform(index: ManifestIndex, want: Platform): Descriptor {
  const variantOf = (p: Platform): string | undefined => p.variant ?? (p.architecture === 'arm64' ? 'v8' : undefined);
  const candidates = index.manifests.filter((d) => {
    const p = d.platform;
    if (!p || p.os !== want.os || p.architecture !== want.architecture) return false;
    if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return false;
    const wv = variantOf(want);
    return wv === undefined || variantOf(p) === undefined || variantOf(p) === wv;
  });
  const exact = candidates.find((d) => d.platform && variantOf(d.platform) === variantOf(want));
  const chosen = exact ?? candidates[0];
  if (!chosen) {
    throw new RegistryError(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`, { code: 'NOT_FOUND' });
  }
  return chosen;
}

interface V1Compat {
  id?: string;
  parent?: string;
  created?: string;
  author?: string;
  comment?: string;
  throwaway?: boolean;
  container_config?: { Cmd?: string[] };
  [key: string]: unknown;
}

export interface Schema1Layers {
  /** Layer blobs to download, root first, without the empty "throwaway" layers. */
  layers: { digest: string; v1Compatibility: V1Compat }[];
}

/** Schema1 lists layers top first: reverse them and drop the ones marked throwaway. */
export function schema1Layers(m: Schema1Manifest): Schema1Layers {
  const layers: Schema1Layers['layers'] = [];
  for (let i = m.fsLayers.length - 1; i >= 0; i--) {
    const compat = JSON.parse(m.history[i]?.v1Compatibility ?? '{}') as V1Compat;
    if (compat.throwaway) continue;
    layers.push({ digest: m.fsLayers[i]?.blobSum ?? '', v1Compatibility: compat });
  }
  return { layers };
}

/**
 * An image config from a schema1 manifest, as moby builds it: the top v1Compatibility object
 * without its v1 graph fields, plus rootfs (the pulled diffIDs) and a history root first.
 */
export function configFromSchema1(m: Schema1Manifest, diffIds: string[]): Uint8Array {
  const top = JSON.parse(m.history[0]?.v1Compatibility ?? '{}') as V1Compat;
  const config: Record<string, unknown> = { ...top };
  for (const k of ['id', 'parent', 'Size', 'parent_id', 'layer_id', 'throwaway']) delete config[k];
  const history: Record<string, unknown>[] = [];
  for (let i = m.history.length - 1; i >= 0; i--) {
    const c = JSON.parse(m.history[i]?.v1Compatibility ?? '{}') as V1Compat;
    const h: Record<string, unknown> = { created: c.created ?? '' };
    if (c.author) h.author = c.author;
    const cmd = c.container_config?.Cmd;
    if (cmd && cmd.length > 0) h.created_by = cmd.join(' ');
    if (c.comment) h.comment = c.comment;
    if (c.throwaway) h.empty_layer = true;
    history.push(h);
  }
  config.rootfs = { type: 'layers', diff_ids: diffIds };
  config.history = history;
  return Buffer.from(JSON.stringify(config));
}

/** Is this layer media type one berth can unpack (tar or gzip tar)? */
export function isGzipLayer(mediaType: string): boolean {
  return mediaType.endsWith('gzip') || mediaType === '';
}

export function isSupportedLayer(mediaType: string): boolean {
  return isGzipLayer(mediaType) || mediaType === MediaType.ociLayer;
}
