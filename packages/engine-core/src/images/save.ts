import type { GraphStore, Image, SaveRequest } from '@berth/graph-aufs';
import { formatReference, parseReference } from '@berth/graph-aufs';

/**
 * What `docker save NAME...` writes: a bare repository name saves every tag of it; `repo:tag`
 * that tag; an ID the image without a name. Each image appears once with all names asked for.
 * `resolve` is the engine's lookup (Docker's 404 for an unknown name).
 */
export function saveRequests(graph: GraphStore, names: readonly string[], resolve: (name: string) => Image): SaveRequest[] {
  const byId = new Map<string, SaveRequest>();
  const add = (image: Image, reference: string | null) => {
    const req = byId.get(image.id) ?? { image, references: [] };
    if (reference !== null && !req.references.includes(reference)) req.references.push(reference);
    byId.set(image.id, req);
  };
  for (const name of names) {
    const repo = bareRepository(name);
    const tagged = repo === null ? [] : graph.images.list().flatMap((s) => s.references.filter((r) => r.startsWith(`${repo}:`)).map((r) => [s, r] as const));
    if (tagged.length > 0) {
      for (const [image, reference] of tagged) add(image, reference);
      continue;
    }
    const image = resolve(name);
    const named = image.references.find((r) => referenceOf(name) === r);
    add(image, named ?? null);
  }
  return [...byId.values()];
}

/** `busybox` → `docker.io/library/busybox`; null for a name with a tag or digest, or an ID. */
function bareRepository(name: string): string | null {
  try {
    const ref = parseReference(name);
    return ref.tag === null && ref.digest === null ? formatReference(ref) : null;
  } catch {
    return null;
  }
}

function referenceOf(name: string): string | null {
  try {
    const ref = parseReference(name);
    return ref.tag === null && ref.digest === null ? null : formatReference(ref);
  } catch {
    return null;
  }
}
