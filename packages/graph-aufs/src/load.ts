import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { applyTar } from './archive/apply.js';
import { digestedTar } from './archive/decompress.js';
import { secureJoin } from './archive/securejoin.js';
import { hex } from './digest.js';
import type { Image, ImageConfig } from './images.js';
import { formatReference, parseReference, withDefaultTag } from './reference.js';
import type { GraphStore } from './store.js';

export interface LoadResult {
  images: Image[];
  /** What `docker load` prints, one line each. */
  messages: string[];
}

interface ManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** `docker load`: reads a tar in Docker's format (manifest.json), the OCI layout, or Docker 1.7's legacy layout. */
export async function loadImages(graph: GraphStore, archive: Readable): Promise<LoadResult> {
  const tmpRoot = posix.join(graph.root, 'tmp');
  mkdirSync(tmpRoot, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(posix.join(tmpRoot, 'load-'));
  try {
    // `docker load < busybox.tar.gz`: the archive may be gzipped.
    await applyTar(digestedTar(archive).stream, dir, 'aufs');
    const result: LoadResult = { images: [], messages: [] };
    const read = (p: string) => readFileSync(secureJoin(dir, p, true));
    if (existsSync(posix.join(dir, 'manifest.json'))) {
      for (const m of JSON.parse(read('manifest.json').toString()) as ManifestEntry[]) {
        const img = await loadOne(graph, read(m.Config), m.Layers.map((l) => secureJoin(dir, l, true)));
        tagAll(graph, img, m.RepoTags ?? [], result);
      }
    } else if (existsSync(posix.join(dir, 'index.json'))) {
      await loadOci(graph, dir, read, result);
    } else if (existsSync(posix.join(dir, 'repositories'))) {
      await loadLegacy(graph, dir, read, result);
    } else {
      throw new Error('open /var/lib/docker/tmp/docker-import/repositories: no such file or directory');
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the layers (checking each diffID against the config) and stores the config as is. */
async function loadOne(graph: GraphStore, raw: Buffer, layerFiles: string[]): Promise<Image> {
  const config = JSON.parse(raw.toString('utf8')) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== layerFiles.length) throw new Error(`invalid manifest, layers length mismatch: expected ${diffIds.length}, got ${layerFiles.length}`);
  let parent: string | null = null;
  const held: string[] = [];
  try {
    for (const [i, file] of layerFiles.entries()) {
      const layer = await graph.layers.register(createReadStream(file), parent);
      held.push(layer.chainId);
      if (layer.diffId !== diffIds[i]) throw new Error(`invalid diffID for layer ${i}: expected ${JSON.stringify(diffIds[i])}, got ${JSON.stringify(layer.diffId)}`);
      parent = layer.chainId;
    }
    return graph.images.create(raw);
  } finally {
    for (const c of held.reverse()) graph.layers.release(c);
  }
}

function tagAll(graph: GraphStore, img: Image, tags: string[], result: LoadResult): void {
  result.images.push(img);
  if (tags.length === 0) {
    result.messages.push(`Loaded image ID: ${img.id}`);
    return;
  }
  for (const tag of tags) {
    const name = formatReference(withDefaultTag(parseReference(tag)));
    let old: Image | null = null;
    try {
      old = graph.images.resolve(name);
    } catch {
      // Not tagged yet.
    }
    if (old && old.id !== img.id) result.messages.push(`The image ${tag} already exists, renaming the old one with ID ${old.id} to empty string`);
    graph.images.tag(img.id, name, true);
    result.messages.push(`Loaded image: ${tag}`);
  }
}

interface Descriptor {
  mediaType: string;
  digest: string;
  annotations?: Record<string, string>;
}

async function loadOci(graph: GraphStore, dir: string, read: (p: string) => Buffer, result: LoadResult): Promise<void> {
  const blob = (digest: string) => `blobs/sha256/${hex(digest)}`;
  const index = JSON.parse(read('index.json').toString()) as { manifests: Descriptor[] };
  for (const d of index.manifests) {
    const manifest = JSON.parse(read(blob(d.digest)).toString()) as { config: Descriptor; layers: Descriptor[] };
    const img = await loadOne(graph, read(blob(manifest.config.digest)), manifest.layers.map((l) => secureJoin(dir, blob(l.digest), true)));
    const name = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'];
    tagAll(graph, img, name ? [name] : [], result);
  }
}

/** Docker 1.7's layout: `repositories` and one directory per v1 layer with its `json`. */
async function loadLegacy(graph: GraphStore, dir: string, read: (p: string) => Buffer, result: LoadResult): Promise<void> {
  const repositories = JSON.parse(read('repositories').toString()) as Record<string, Record<string, string>>;
  const byTop = new Map<string, string[]>();
  for (const [repo, tags] of Object.entries(repositories)) {
    for (const [tag, id] of Object.entries(tags)) byTop.set(id, [...(byTop.get(id) ?? []), `${repo}:${tag}`]);
  }
  for (const [top, tags] of byTop) {
    const chain: Array<Record<string, unknown>> = [];
    for (let id: string | undefined = top; id; ) {
      const json = JSON.parse(read(`${id}/json`).toString()) as Record<string, unknown>;
      chain.unshift(json);
      id = json.parent as string | undefined;
    }
    const files = chain.map((j) => secureJoin(dir, `${j.id as string}/layer.tar`, true));
    const diffIds: string[] = [];
    let parent: string | null = null;
    const held: string[] = [];
    try {
      for (const f of files) {
        const layer = await graph.layers.register(createReadStream(f), parent);
        held.push(layer.chainId);
        diffIds.push(layer.diffId);
        parent = layer.chainId;
      }
      const img = graph.images.create(Buffer.from(configFromV1(chain, diffIds)));
      tagAll(graph, img, tags, result);
    } finally {
      for (const c of held.reverse()) graph.layers.release(c);
    }
  }
}

/** Docker's MakeConfigFromV1Config: the top v1 JSON without v1-only keys, with rootfs and history; keys sorted. */
function configFromV1(chain: Array<Record<string, unknown>>, diffIds: string[]): string {
  const top = { ...(chain.at(-1) ?? {}) };
  for (const k of ['id', 'parent', 'Size', 'parent_id', 'layer_id', 'throwaway', 'checksum']) delete top[k];
  top.rootfs = { type: 'layers', diff_ids: diffIds };
  top.history = chain.map((j) => {
    const cc = j.container_config as { Cmd?: string[] | null } | undefined;
    return {
      created: j.created,
      ...(j.author ? { author: j.author } : {}),
      ...(cc?.Cmd ? { created_by: cc.Cmd.join(' ') } : {}),
      ...(j.comment ? { comment: j.comment } : {}),
    };
  });
  return JSON.stringify(Object.fromEntries(Object.keys(top).sort().map((k) => [k, top[k]])));
}
