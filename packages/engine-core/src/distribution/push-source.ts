import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { chainIds, type GraphStore, type Image } from '@berth/graph-aufs';
import type { PushLayer, PushSource, RegistryClient } from '@berth/registry';
import type { BlobIndex } from './blobs.js';

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/**
 * An image's config and layer blobs for a push to `repo` (path on the registry) of `domain`.
 * A layer is sent as a blob the registry already has (in this repository, or mounted from
 * another one it came from), else as the gzip tar the graph stores for it.
 */
export async function pushSource(
  graph: GraphStore,
  blobs: BlobIndex,
  client: RegistryClient,
  image: Image,
  target: { domain: string; repo: string },
): Promise<PushSource> {
  const diffIds = image.config.rootfs.diff_ids;
  const chains = chainIds(diffIds);
  const layers: PushLayer[] = [];
  for (const [i, diffId] of diffIds.entries()) {
    layers.push(await layerBlob(graph, blobs, client, chains[i] as string, diffId, target));
  }
  return { config: image.raw, layers };
}

async function layerBlob(
  graph: GraphStore,
  blobs: BlobIndex,
  client: RegistryClient,
  chain: string,
  diffId: string,
  target: { domain: string; repo: string },
): Promise<PushLayer> {
  const known = blobs.forLayer(diffId, target.domain);
  const sources = (b: { digest: string }) =>
    known.filter((k) => k.digest === b.digest).map((k) => k.repo.slice(target.domain.length + 1));
  for (const b of known) {
    const from = sources(b);
    // Only a blob some repository still holds is worth naming: else the local copy is sent.
    const held = from.includes(target.repo) ? target.repo : await firstHolding(client, from, b.digest);
    if (held === undefined) continue;
    return {
      digest: b.digest,
      size: b.size,
      diffID: diffId,
      mountFrom: [held],
      open: () => {
        throw new Error(`blob ${b.digest} is not stored locally`);
      },
    };
  }
  const path = graph.layers.compressedPath(chain);
  return { digest: await fileDigest(path), size: statSync(path).size, diffID: diffId, open: () => createReadStream(path) };
}

async function firstHolding(client: RegistryClient, repos: string[], digest: string): Promise<string | undefined> {
  for (const repo of repos) {
    try {
      if ((await client.statBlob(repo, digest)) !== undefined) return repo;
    } catch {
      // No pull access to that repository: it cannot be a mount source either.
    }
  }
  return undefined;
}
