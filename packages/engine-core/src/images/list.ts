import type { FilterArgs } from '@berth/api-types';
import { InvalidParameterError, matchKeyValueList, validateFilterKeys } from '@berth/api-types';
import type { ImageSummary as GraphImageSummary } from '@berth/graph-aufs';

export const IMAGE_FILTERS = ['dangling', 'label', 'before', 'since', 'reference'] as const;

export interface ImageListQuery {
  all?: boolean;
  filters?: FilterArgs;
}

/** Go's path.Match for the `reference` filter: `*` and `?` stay within a path segment. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new InvalidParameterError('syntax error in pattern');
      re += `[${pattern.slice(i + 1, end).replace(/^\^/, '^').replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(text);
}

/** `reference=busybox`, `reference=busy*:lat*`: the pattern against the name or name:tag. */
function matchesReference(patterns: Set<string>, ref: string): boolean {
  const colon = ref.lastIndexOf(':');
  const name = colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
  for (const p of patterns) if (globMatch(p, name) || globMatch(p, ref)) return true;
  return false;
}

function onlyValue(filters: FilterArgs, key: string): string | undefined {
  const values = [...(filters.get(key) ?? [])];
  if (values.length > 1) throw new InvalidParameterError(`filter "${key}" must have only one value`);
  return values[0];
}

/**
 * Docker's image list rules over the graph's summaries (newest first): without `all`, only
 * tagged images and untagged leaves (images nobody builds on) show; `dangling=true` keeps the
 * untagged leaves; `label`, `before`, `since` (an image reference) and `reference` narrow
 * (the last also to the names that match, as `docker images busybox` lists only busybox rows).
 * `created` resolves `before`/`since` to a creation time.
 */
export function filterImages(images: GraphImageSummary[], q: ImageListQuery, created: (ref: string) => string): GraphImageSummary[] {
  const filters = q.filters ?? new Map<string, Set<string>>();
  validateFilterKeys(filters, IMAGE_FILTERS);
  const dangling = onlyValue(filters, 'dangling');
  if (dangling !== undefined && !['true', 'false', '1', '0'].includes(dangling.toLowerCase())) {
    throw new InvalidParameterError(`Invalid filter 'dangling=${dangling}'`);
  }
  const danglingOnly = dangling === undefined ? undefined : ['true', '1'].includes(dangling.toLowerCase());
  const before = onlyValue(filters, 'before');
  const since = onlyValue(filters, 'since');
  const beforeTime = before === undefined ? undefined : Date.parse(created(before));
  const sinceTime = since === undefined ? undefined : Date.parse(created(since));
  const parents = new Set(images.map((i) => i.parent).filter((p): p is string => p !== null));
  const references = filters.get('reference');
  const named = (img: GraphImageSummary): GraphImageSummary =>
    references && references.size > 0 ? { ...img, repoTags: img.repoTags.filter((r) => matchesReference(references, r)), repoDigests: img.repoDigests.filter((r) => matchesReference(references, r.split('@')[0] as string)) } : img;
  return images.map(named).filter((img) => {
    const tagged = img.repoTags.length > 0 || img.repoDigests.length > 0;
    const leaf = !parents.has(img.id);
    if (danglingOnly === true && (tagged || !leaf)) return false;
    if (danglingOnly === false && !tagged) return false;
    if (!q.all && danglingOnly === undefined && !tagged && !leaf) return false;
    if (!matchKeyValueList(filters, 'label', ((img.config.config ?? {}) as { Labels?: Record<string, string> | null }).Labels ?? {})) return false;
    const t = Date.parse(img.created);
    if (beforeTime !== undefined && !(t < beforeTime)) return false;
    if (sinceTime !== undefined && !(t > sinceTime)) return false;
    if (references && references.size > 0 && img.repoTags.length + img.repoDigests.length === 0) return false;
    return true;
  });
}
