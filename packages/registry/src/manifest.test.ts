import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  configFromSchema1,
  manifestDigest,
  MediaType,
  parseManifest,
  parsePlatform,
  schema1Layers,
  selectPlatform,
  type ManifestIndex,
  type Schema1Manifest,
} from './manifest.js';
import { signSchema1 } from './test/fixtures.js';

const sha = (s: string | Buffer): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const d = (c: string): string => `sha256:${c.repeat(64)}`;

// A schema1 manifest in the shape registries served them: three-space indent, top layer first,
// v1Compatibility strings, the first layer an empty "throwaway" one (a CMD step).
const schema1Payload = `{
   "schemaVersion": 1,
   "name": "library/hello",
   "tag": "latest",
   "architecture": "amd64",
   "fsLayers": [
      {
         "blobSum": "${d('a')}"
      },
      {
         "blobSum": "${d('b')}"
      },
      {
         "blobSum": "${d('c')}"
      }
   ],
   "history": [
      {
         "v1Compatibility": ${JSON.stringify(JSON.stringify({ id: 'top', parent: 'mid', created: '2026-01-03T00:00:00Z', container_config: { Cmd: ['/bin/sh', '-c', '#(nop) CMD ["/hello"]'] }, config: { Cmd: ['/hello'], Env: ['PATH=/bin'] }, architecture: 'amd64', os: 'linux', throwaway: true }))}
      },
      {
         "v1Compatibility": ${JSON.stringify(JSON.stringify({ id: 'mid', parent: 'root', created: '2026-01-02T00:00:00Z', container_config: { Cmd: ['/bin/sh', '-c', '#(nop) COPY file:abc in /'] }, Size: 1840 }))}
      },
      {
         "v1Compatibility": ${JSON.stringify(JSON.stringify({ id: 'root', created: '2026-01-01T00:00:00Z', author: 'someone', comment: 'base' }))}
      }
   ]
}`;

describe('schema1', () => {
  it('is digested without its signatures', () => {
    const doc = signSchema1(schema1Payload);
    expect(JSON.parse(doc).signatures).toHaveLength(1);
    expect(manifestDigest(Buffer.from(doc))).toBe(sha(schema1Payload));
    expect(manifestDigest(Buffer.from(schema1Payload))).toBe(sha(schema1Payload));
  });

  it('lists layers root first without throwaway ones', () => {
    const m = parseManifest(Buffer.from(signSchema1(schema1Payload)), MediaType.schema1Signed) as Schema1Manifest;
    expect(m.kind).toBe('schema1');
    expect(schema1Layers(m).layers.map((l) => l.digest)).toEqual([d('c'), d('b')]);
  });

  it('becomes an image config with rootfs and history', () => {
    const m = parseManifest(Buffer.from(schema1Payload)) as Schema1Manifest;
    const config = JSON.parse(Buffer.from(configFromSchema1(m, [d('1'), d('2')])).toString()) as Record<string, unknown>;
    expect(config).toEqual({
      created: '2026-01-03T00:00:00Z',
      container_config: { Cmd: ['/bin/sh', '-c', '#(nop) CMD ["/hello"]'] },
      config: { Cmd: ['/hello'], Env: ['PATH=/bin'] },
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [d('1'), d('2')] },
      history: [
        { created: '2026-01-01T00:00:00Z', author: 'someone', comment: 'base' },
        { created: '2026-01-02T00:00:00Z', created_by: '/bin/sh -c #(nop) COPY file:abc in /' },
        { created: '2026-01-03T00:00:00Z', created_by: '/bin/sh -c #(nop) CMD ["/hello"]', empty_layer: true },
      ],
    });
  });

  it('refuses fsLayers and history of different lengths', () => {
    const bad = JSON.parse(schema1Payload) as { history: unknown[] };
    bad.history.pop();
    expect(() => parseManifest(Buffer.from(JSON.stringify(bad)))).toThrow('invalid manifest: schema1 fsLayers and history do not match');
  });
});

describe('schema2 and OCI', () => {
  it('tells images from indexes, taking the media type from the body or the response', () => {
    const img = { schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: d('c'), size: 2 }, layers: [] };
    expect(parseManifest(Buffer.from(JSON.stringify(img)), `${MediaType.ociManifest}; charset=utf-8`)).toMatchObject({
      kind: 'image',
      mediaType: MediaType.ociManifest,
    });
    expect(parseManifest(Buffer.from(JSON.stringify({ ...img, mediaType: MediaType.schema2 })))).toMatchObject({ kind: 'image', mediaType: MediaType.schema2 });
    expect(parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })), MediaType.manifestList)).toMatchObject({
      kind: 'index',
      mediaType: MediaType.manifestList,
    });
    expect(() => parseManifest(Buffer.from('{"schemaVersion":3}'))).toThrow('unsupported manifest schema version 3');
    expect(() => parseManifest(Buffer.from('nope'))).toThrow('invalid manifest: not JSON');
  });
});

describe('selectPlatform', () => {
  const entry = (c: string, architecture: string, variant?: string, extra: object = {}) => ({
    mediaType: MediaType.ociManifest,
    digest: d(c),
    size: 1,
    platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
    ...extra,
  });
  const index: ManifestIndex = {
    kind: 'index',
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      entry('1', 'amd64'),
      entry('2', 'arm', 'v6'),
      entry('3', 'arm', 'v7'),
      entry('4', 'arm64'),
      entry('5', 'amd64', undefined, { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } }),
    ],
  };
  it.each([
    ['linux/amd64', d('1')],
    ['linux/arm/v7', d('3')],
    ['linux/arm/v6', d('2')],
    ['linux/arm64/v8', d('4')],
    ['arm64', d('4')],
    ['x86_64', d('1')],
  ])('%s', (p, want) => expect(selectPlatform(index, parsePlatform(p)).digest).toBe(want));

  it('says when nothing matches', () => {
    expect(() => selectPlatform(index, parsePlatform('windows/amd64'))).toThrow(
      'no matching manifest for windows/amd64 in the manifest list entries',
    );
  });
});
