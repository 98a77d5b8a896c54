import type { Readable } from 'node:stream';
import { chainIds, formatReference, parseReference, type GraphStore } from '@berth/graph-aufs';
import { canonicalName, RegistryError, type LayerBlob, type PulledImage, type PulledLayer, type PullStore } from '@berth/registry';
import type { BlobIndex } from './blobs.js';

/**
 * Where one pull writes: layers into the graph (each on the chain below it), the config as
 * the image, its tag and its `name@digest` reference. Layers registered here are held until
 * the image holds them.
 */
export class GraphPullStore implements PullStore {
  private readonly held: string[] = [];

  constructor(
    private readonly graph: GraphStore,
    private readonly blobs: BlobIndex,
  ) {}

  async layerDiffID(digest: string): Promise<string | undefined> {
    const diffId = this.blobs.diffIdOf(digest);
    if (diffId === undefined) return undefined;
    return this.graph.layers.list().some((l) => l.diffId === diffId) ? diffId : undefined;
  }

  /** Registers the blob as it downloads; a gzip blob stays the layer's compressed copy, so a push sends the same digest. */
  async putLayer(_layer: LayerBlob, data: Readable, below: readonly PulledLayer[]): Promise<string> {
    const parent = below.length === 0 ? null : (chainIds(below.map((l) => l.diffID)).at(-1) as string);
    const stored = await this.graph.layers.register(data, parent);
    this.held.push(stored.chainId);
    return stored.diffId;
  }

  async putImage(image: PulledImage): Promise<boolean> {
    const raw = Buffer.from(image.config.bytes);
    const config = JSON.parse(raw.toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
    const want = config.rootfs?.diff_ids ?? [];
    const got = image.layers.map((l) => l.diffID);
    if (want.length !== got.length || want.some((d, i) => d !== got[i])) {
      throw new RegistryError('layers from manifest don\'t match image configuration', { code: 'DIGEST_INVALID' });
    }
    const repo = canonicalName(image.reference);
    for (const l of image.layers) this.blobs.record({ digest: l.digest, diffId: l.diffID, size: l.size, repo });
    const img = this.graph.images.create(raw);
    const names = [`${repo}@${image.manifest.digest}`];
    if (image.reference.digest === undefined) names.push(`${repo}:${image.reference.tag ?? 'latest'}`);
    let updated = false;
    for (const name of names) {
      if (!this.graph.images.get(img.id).references.includes(formatReference(parseReference(name)))) updated = true;
      this.graph.images.tag(img.id, name, true);
    }
    return updated;
  }

  /** Drops the references taken while registering layers (the image holds its own). */
  release(): void {
    for (const c of this.held.splice(0).reverse()) this.graph.layers.release(c);
  }
}
