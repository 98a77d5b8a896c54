import { humanDuration, humanSize } from '@berth/api-types';
import { TabWriter } from '../tabwriter.js';
import { parseRepositoryTag, truncateId } from './text.js';

/** The fields of a `GET /images/json` entry that images shows. */
export interface ImageEntry {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: number;
  Size: number;
  VirtualSize?: number;
}

export interface ImagesOptions {
  quiet: boolean;
  noTrunc: boolean;
  now: number;
  /** `--digests`: a DIGEST column (rows of digests show `<none>` as tag). */
  digests?: boolean;
}

/** The references an image is listed under: its tags, else its digests, else `<none>:<none>`. */
function references(img: ImageEntry): string[] {
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const digests = (img.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
  if (tags.length > 0) return tags;
  return digests.length > 0 ? digests : ['<none>:<none>'];
}

/** `docker images` as 1.7: one row per tag, `REPOSITORY TAG IMAGE ID CREATED VIRTUAL SIZE`. */
export function formatImages(images: readonly ImageEntry[], o: ImagesOptions): string {
  let out = '';
  const w = new TabWriter((s) => (out += s));
  if (!o.quiet) w.write(o.digests ? 'REPOSITORY\tTAG\tDIGEST\tIMAGE ID\tCREATED\tVIRTUAL SIZE\n' : 'REPOSITORY\tTAG\tIMAGE ID\tCREATED\tVIRTUAL SIZE\n');
  for (const img of images) {
    const id = o.noTrunc ? img.Id : truncateId(img.Id);
    for (const ref of references(img)) {
      if (o.quiet) {
        w.write(`${id}\n`);
        continue;
      }
      const [repo, tagOrDigest] = parseRepositoryTag(ref);
      const tag = ref.includes('@') ? '<none>' : tagOrDigest || '<none>';
      const digest = ref.includes('@') ? tagOrDigest : '<none>';
      const created = `${humanDuration(o.now - img.Created * 1000)} ago`;
      w.write(`${repo}\t${tag}\t${o.digests ? `${digest}\t` : ''}${id}\t${created}\t${humanSize(img.VirtualSize ?? img.Size)}\n`);
    }
  }
  w.flush();
  return out;
}
