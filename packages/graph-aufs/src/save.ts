import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TarWriter } from './archive/tar-writer.js';
import { chainIds, hex, sha256 } from './digest.js';
import type { Image, ImageConfig } from './images.js';
import type { LayerStore } from './layers.js';
import { familiarName, familiarString, parseReference } from './reference.js';

/** `docker`: manifest.json + legacy `repositories` and `<v1id>/{VERSION,json,layer.tar}` (Docker 1.7 and today). `oci`: an OCI image layout with manifest.json too (Docker 25+). */
export type SaveFormat = 'docker' | 'oci';

export interface SaveRequest {
  image: Image;
  /** Full references to record for it (`docker.io/library/busybox:latest`). */
  references: string[];
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** Go's json.Marshal of a map: keys sorted. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The v1 fields of a config (what Docker 1.7 keeps in `<id>/json`). */
function v1Fields(config: ImageConfig): Record<string, unknown> {
  const { rootfs: _rootfs, history: _history, ...rest } = config;
  return rest;
}

/** Docker's v1.CreateID: sha256 of the v1 JSON with `layer_id` and `parent`, keys sorted. */
function v1Id(v1: Record<string, unknown>, layerChain: string, parent: string | null): string {
  const { id: _id, ...rest } = v1;
  const doc: Record<string, unknown> = { ...rest, layer_id: layerChain };
  if (parent !== null) doc.parent = parent;
  return createHash('sha256').update(sortedJson(doc)).digest('hex');
}

interface V1Layer {
  id: string;
  json: string;
  chain: string;
}

/** The legacy layer directories for an image: IDs and `json` for each layer, base first. */
function v1Layers(image: Image): V1Layer[] {
  const diffIds = image.config.rootfs.diff_ids;
  const chains = chainIds(diffIds);
  const out: V1Layer[] = [];
  let parent: string | null = null;
  chains.forEach((chain, i) => {
    const top = i === diffIds.length - 1;
    const v1: Record<string, unknown> = top ? v1Fields(image.config) : { created: '1970-01-01T00:00:00Z', container_config: { Cmd: null } };
    delete v1.parent;
    const id = v1Id(v1, chain, parent === null ? null : `sha256:${parent}`);
    const json = JSON.stringify({ id, ...(parent !== null ? { parent } : {}), ...v1 });
    out.push({ id, json, chain });
    parent = id;
  });
  return out;
}

/** `docker save`: writes the images and their references as one tar. */
export function saveImages(layers: LayerStore, requests: SaveRequest[], format: SaveFormat = 'docker'): Readable {
  const tar = new TarWriter();
  const written = new Set<string>();
  const run = async () => {
    const manifest: Array<{ Config: string; RepoTags: string[] | null; Layers: string[] }> = [];
    const repositories: Record<string, Record<string, string>> = {};
    const index: Array<Record<string, unknown>> = [];
    const mtime = new Date(0);
    const writeBuffer = (name: string, data: Buffer, date: Date) => tar.add({ name, mode: 0o644, mtime: date, type: 'file' }, data);
    const blob = async (data: Buffer) => {
      const name = `blobs/sha256/${hex(sha256(data))}`;
      if (written.has(name)) return;
      written.add(name);
      await writeBuffer(name, data, mtime);
    };
    if (format === 'oci') {
      await tar.add({ name: 'blobs/', type: 'directory', mode: 0o755, mtime });
      await tar.add({ name: 'blobs/sha256/', type: 'directory', mode: 0o755, mtime });
    }
    for (const { image, references } of requests) {
      const created = new Date(image.config.created ?? 0);
      const tags = references.filter((r) => !r.includes('@')).map((r) => familiarString(parseReference(r)));
      const layerPaths: string[] = [];
      if (format === 'docker') {
        for (const l of v1Layers(image)) {
          layerPaths.push(`${l.id}/layer.tar`);
          if (written.has(l.id)) continue;
          written.add(l.id);
          await tar.add({ name: `${l.id}/`, type: 'directory', mode: 0o755, mtime: created });
          await writeBuffer(`${l.id}/VERSION`, Buffer.from('1.0'), created);
          await writeBuffer(`${l.id}/json`, Buffer.from(l.json), created);
          await tar.add({ name: `${l.id}/layer.tar`, type: 'file', mode: 0o644, mtime: created, size: layers.tarSize(l.chain) }, layers.tarStream(l.chain));
        }
        const top = layerPaths.at(-1)?.slice(0, 64);
        for (const r of references.filter((x) => !x.includes('@'))) {
          const ref = parseReference(r);
          if (top !== undefined && ref.tag !== null) (repositories[familiarName(ref)] ??= {})[ref.tag] = top;
        }
        const configName = `${hex(image.id)}.json`;
        await writeBuffer(configName, image.raw, created);
        manifest.push({ Config: configName, RepoTags: tags.length > 0 ? tags : null, Layers: layerPaths });
        continue;
      }
      const layerDescs: Array<Record<string, unknown>> = [];
      for (const [i, chain] of chainIds(image.config.rootfs.diff_ids).entries()) {
        const diffId = image.config.rootfs.diff_ids[i] as string;
        const name = `blobs/sha256/${hex(diffId)}`;
        layerPaths.push(name);
        layerDescs.push({ mediaType: OCI_LAYER, digest: diffId, size: layers.tarSize(chain) });
        if (written.has(name)) continue;
        written.add(name);
        await tar.add({ name, type: 'file', mode: 0o644, mtime, size: layers.tarSize(chain) }, layers.tarStream(chain));
      }
      await blob(image.raw);
      const manifestJson = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, digest: image.id, size: image.raw.length }, layers: layerDescs }),
      );
      await blob(manifestJson);
      manifest.push({ Config: `blobs/sha256/${hex(image.id)}`, RepoTags: tags.length > 0 ? tags : null, Layers: layerPaths });
      const descriptor = { mediaType: OCI_MANIFEST, digest: sha256(manifestJson), size: manifestJson.length };
      const named = references.filter((r) => !r.includes('@'));
      if (named.length === 0) index.push(descriptor);
      for (const r of named) {
        index.push({ ...descriptor, annotations: { 'io.containerd.image.name': r, 'org.opencontainers.image.ref.name': parseReference(r).tag ?? '' } });
      }
    }
    if (format === 'oci') {
      await writeBuffer('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index })), mtime);
      await writeBuffer('oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })), mtime);
    }
    await writeBuffer('manifest.json', Buffer.from(JSON.stringify(manifest)), mtime);
    if (format === 'docker') await writeBuffer('repositories', Buffer.from(`${JSON.stringify(repositories)}\n`), mtime);
    await tar.finish();
  };
  run().catch((err: unknown) => tar.fail(err as Error));
  return tar.stream;
}
