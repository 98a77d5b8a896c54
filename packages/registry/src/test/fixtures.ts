// Test fixtures: a real distribution registry on 127.0.0.1, small images built from tar buffers,
// and an in-memory image store. Used only by the *.test.ts files.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LayerBlob, PulledImage, PulledLayer, PullStore } from '../pull.js';
import type { PushLayer, PushSource } from '../push.js';

export { ensureRegistryBinary, freePort, startRegistry, type RunningRegistry } from '../test-support/index.js';

/** A ustar archive of regular files. */
export function tarOf(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function digestOf(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export interface TestLayer extends PushLayer {
  blob: Buffer;
  tar: Buffer;
  diffID: string;
}

export function gzipLayer(files: Record<string, string | Buffer>): TestLayer {
  const tar = tarOf(files);
  const blob = gzipSync(tar);
  return { blob, tar, digest: digestOf(blob), size: blob.length, diffID: digestOf(tar), open: () => Readable.from([blob]) };
}

export interface TestImage extends PushSource {
  layers: TestLayer[];
  configDigest: string;
}

/** An image config and gzip layers, as `docker build` would produce them. */
export function makeImage(layers: TestLayer[], platform: { architecture: string; variant?: string } = { architecture: 'amd64' }): TestImage {
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffID) },
      history: layers.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'test' })),
    }),
  );
  return { config, configDigest: digestOf(config), layers };
}

/** An image store in memory that records what a pull hands it. */
export class MemoryStore implements PullStore {
  readonly layers = new Map<string, { layer: PulledLayer; bytes: Buffer }>();
  readonly images: PulledImage[] = [];
  readonly order: number[] = [];
  private readonly tags = new Map<string, string>();

  async layerDiffID(digest: string): Promise<string | undefined> {
    return this.layers.get(digest)?.layer.diffID;
  }
  async putLayer(layer: LayerBlob, data: Readable): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of data) parts.push(c as Buffer);
    const bytes = Buffer.concat(parts);
    // Schema1 blobs may be plain tars.
    const diffID = digestOf(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
    this.layers.set(layer.digest, { layer: { ...layer, diffID }, bytes });
    this.order.push(layer.index);
    return diffID;
  }
  async putImage(image: PulledImage): Promise<boolean> {
    this.images.push(image);
    const key = `${image.reference.domain}/${image.reference.path}:${image.reference.tag ?? image.reference.digest ?? ''}`;
    const before = this.tags.get(key);
    this.tags.set(key, image.config.digest);
    return before !== image.config.digest;
  }
}

/**
 * libtrust's JWS "pretty" form of a schema1 manifest: the payload up to its closing brace, then a
 * signatures array; the protected header records how to cut the payload back out.
 */
export function signSchema1(payload: string): string {
  const formatLength = payload.length - 2;
  const protectedHeader = Buffer.from(
    JSON.stringify({ formatLength, formatTail: Buffer.from(payload.slice(formatLength)).toString('base64url'), time: '2026-01-03T00:00:00Z' }),
  ).toString('base64url');
  return `${payload.slice(0, formatLength)},\n   "signatures": [\n      {\n         "header": {"alg": "ES256"},\n         "signature": "c2ln",\n         "protected": "${protectedHeader}"\n      }\n   ]\n}`;
}
