import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidParameterError, NotFoundError } from '@berth/api-types';
import { formatReference, parseReference as parseLocal, validateRepoName, type GraphStore } from '@berth/graph-aufs';
import {
  canonicalName,
  familiarName,
  familiarString,
  parsePlatform,
  RegistryService,
  type AuthConfig,
  type LoginResult,
  type Platform,
  type ProgressSink,
  type SearchResult,
} from '@berth/registry';
import type { EventsBus } from '../events/index.js';
import { BlobIndex } from './blobs.js';
import { apiErrorOf } from './errors.js';
import { GraphPullStore } from './pull-store.js';
import { pushSource } from './push-source.js';

/** How the engine reaches registries (the daemon's registry flags). */
export interface RegistryOptions {
  /** Registry for names without a host; `docker.io` by default. */
  defaultRegistry?: string;
  /** `--insecure-registry`: hosts or CIDRs spoken to over plain HTTP; 127.0.0.0/8 always is. */
  insecureRegistries?: string[];
  /** `--registry-mirror`: URLs tried in order before Docker Hub for its images. */
  registryMirrors?: string[];
}

export interface TransferOptions {
  auth?: AuthConfig;
  progress?: ProgressSink;
  signal?: AbortSignal;
}

/** Pull, push, login and search on the engine's graph, with Docker's errors and image events. */
export class EngineDistribution {
  private readonly service: RegistryService;
  private readonly blobs: BlobIndex;

  constructor(
    private readonly graph: GraphStore,
    private readonly events: EventsBus,
    private readonly options: RegistryOptions = {},
  ) {
    this.service = new RegistryService({
      ...(options.defaultRegistry ? { defaultRegistry: options.defaultRegistry } : {}),
      insecureRegistries: options.insecureRegistries ?? [],
      registryMirrors: options.registryMirrors ?? [],
    });
    this.blobs = new BlobIndex(graph.db);
  }

  /**
   * `POST /images/create?fromImage=&tag=&platform=`: the image's ID once pulled. A name with
   * neither tag nor digest pulls every tag of the repository (`docker pull -a`), as Docker's API.
   */
  async pull(image: string, o: TransferOptions & { tag?: string; platform?: string } = {}): Promise<string> {
    return translate(async () => {
      // The API takes the tag (or digest) apart from the name, as `docker pull` sends it.
      const name = o.tag ? `${image}${o.tag.includes(':') ? '@' : ':'}${o.tag}` : image;
      const ref = this.service.parse(name);
      validateRepoName(parseLocal(name));
      const platform = o.platform ? parsePlatformParam(o.platform) : undefined;
      if (ref.tag !== undefined || ref.digest !== undefined) return this.pullOne(name, o, platform);
      const tags = (await (await this.service.client(ref.domain, o.auth)).tags(ref.path)).sort();
      let id = '';
      for (const tag of tags) id = await this.pullOne(`${familiarName(ref)}:${tag}`, o, platform);
      return id;
    });
  }

  private async pullOne(name: string, o: TransferOptions, platform: Platform | undefined): Promise<string> {
    const store = new GraphPullStore(this.graph, this.blobs);
    const tmpDir = join(this.graph.root, 'tmp');
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    try {
      const pulled = await this.service.pull(name, {
        store,
        tmpDir,
        ...(platform ? { platform } : {}),
        ...(o.auth ? { auth: o.auth } : {}),
        ...(o.progress ? { progress: o.progress } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const shown = familiarString(pulled.reference);
      this.events.log('image', 'pull', shown, { name: shown });
      return pulled.config.digest;
    } finally {
      store.release();
    }
  }

  /** `POST /images/{name}/push?tag=`: every local tag of the repository when `tag` is empty. */
  async push(name: string, o: TransferOptions & { tag?: string } = {}): Promise<void> {
    return translate(async () => {
      const ref = this.service.parse(o.tag ? `${name}:${o.tag}` : name);
      const repo = formatReference(parseLocal(`${canonicalName(ref)}`));
      const tags = ref.tag !== undefined ? [ref.tag] : this.localTags(repo);
      if (tags.length === 0) throw new NotFoundError(`An image does not exist locally with the tag: ${familiarString(ref)}`);
      const client = await this.service.client(ref.domain, o.auth);
      for (const tag of tags) {
        const local = `${repo}:${tag}`;
        let image;
        try {
          image = this.graph.images.resolve(local);
        } catch {
          throw new NotFoundError(`An image does not exist locally with the tag: ${familiarString({ ...ref, tag })}`);
        }
        const source = await pushSource(this.graph, this.blobs, client, image, { domain: ref.domain, repo: ref.path });
        const result = await this.service.push(local, source, {
          ...(o.auth ? { auth: o.auth } : {}),
          ...(o.progress ? { progress: o.progress } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        });
        const canonical = canonicalName(ref);
        source.layers.forEach((l, i) =>
          this.blobs.record({ digest: l.digest, diffId: image.config.rootfs.diff_ids[i] as string, size: l.size, repo: canonical }),
        );
        this.graph.images.tag(image.id, `${canonical}@${result.digest}`, true);
        const shown = familiarString({ ...ref, tag });
        this.events.log('image', 'push', shown, { name: shown });
      }
    });
  }

  /** `POST /auth`: checks the credentials against the registry. */
  login(auth: AuthConfig): Promise<LoginResult> {
    return translate(() => this.service.login(auth));
  }

  /** `GET /images/search`. */
  search(term: string, o: { auth?: AuthConfig; limit?: number } = {}): Promise<SearchResult[]> {
    if (o.limit !== undefined && (o.limit < 1 || o.limit > 100)) throw new InvalidParameterError(`limit ${o.limit} is outside the range of [1, 100]`);
    return translate(() => this.service.search(term, o));
  }

  /** Tags of a repository (`docker.io/library/busybox`) in the graph, sorted. */
  private localTags(repo: string): string[] {
    const refs = this.graph.images.list().flatMap((img) => img.references);
    return refs.filter((r) => r.startsWith(`${repo}:`)).map((r) => r.slice(repo.length + 1)).sort();
  }

  close(): Promise<void> {
    return this.service.close();
  }
}

function parsePlatformParam(value: string) {
  try {
    return parsePlatform(value);
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

async function translate<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw apiErrorOf(e);
  }
}
