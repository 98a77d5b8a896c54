import type { ImageHistoryItem } from '@berth/api-types';
import type { GraphStore, Image } from '@berth/graph-aufs';
import { chainIds } from '@berth/graph-aufs';

/**
 * `GET /images/{name}/history`, newest first: every history entry of the image's config. An
 * entry the image or one of its parents added first carries that image's ID and tags, older
 * entries of the same image (a loaded multi-layer image) show `<missing>` as in Docker. Sizes
 * are those of the layer each non-empty entry made.
 */
export function imageHistory(graph: GraphStore, image: Image): ImageHistoryItem[] {
  const history = image.config.history ?? [];
  const chains = chainIds(image.config.rootfs.diff_ids);
  // Which image in the parent chain introduced history entry i: the oldest whose history is longer than i.
  const owners = graph.images.history(image.id).reverse();
  const ownerOf = (i: number): Image | undefined => owners.find((o) => (o.config.history ?? []).length > i);
  const items: ImageHistoryItem[] = [];
  let layer = 0;
  history.forEach((h, i) => {
    const owner = ownerOf(i);
    const newest = owner !== undefined && (owner.config.history ?? []).length - 1 === i;
    let size = 0;
    if (!h.empty_layer) {
      const chain = chains[layer++];
      if (chain !== undefined && graph.layers.has(chain)) size = graph.layers.get(chain).size;
    }
    const tags = newest ? graph.images.summary(owner).repoTags : [];
    items.push({
      Id: newest ? owner.id : '<missing>',
      Created: Math.floor(Date.parse(h.created ?? '') / 1000) || 0,
      CreatedBy: h.created_by ?? '',
      Tags: tags.length > 0 ? tags : null,
      Size: size,
      Comment: h.comment ?? '',
    });
  });
  return items.reverse();
}
