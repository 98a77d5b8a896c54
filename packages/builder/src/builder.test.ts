// Integration tests as root: builds on an embedded engine (own root and cgroup parent), checking
// what the CLI tests cannot see: the history each step leaves and the cache keys it records.
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '@berth/engine-core';
import { startRegistry } from '@berth/registry/test-support';
import { build, BuildError, packContext, type BuildOptions } from './index.js';

const repo = join(import.meta.dirname, '../../..');
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('build on an engine', { timeout: 120_000 }, () => {
  let dir = '';
  let unpacked = '';
  let engine: Engine;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/bb-');
    engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent: `berth-builder-${dir.slice(-6)}` });
    const fixture = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    await engine.images.import(createReadStream(fixture), { repo: 'busybox' });
    unpacked = join(dir, 'fixture');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xf', fixture, '-C', unpacked, 'bin/busybox']);
  }, 60_000);

  afterAll(() => {
    engine?.close();
    const left = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(` ${dir}/`));
    rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  const writeContext = (files: Record<string, string>): string => {
    const ctx = mkdtempSync(join(dir, 'ctx-'));
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(ctx, p, '..'), { recursive: true });
      writeFileSync(join(ctx, p), c);
    }
    return ctx;
  };

  const buildDir = async (files: Record<string, string>, opts: BuildOptions = {}, onOutput?: (text: string) => void): Promise<{ id: string; output: string }> => {
    const ctx = writeContext(files);
    let output = '';
    const id = await build(engine, packContext(ctx), opts, {
      stream: (t) => {
        output += t;
        onOutput?.(t);
      },
      aux: () => {},
      progress: () => {},
    });
    return { id, output };
  };

  it('leaves a history entry per step: #(nop) for metadata and copies, the command for RUN (with its build args)', async () => {
    const { id } = await buildDir(
      {
        Dockerfile: 'FROM busybox\nARG WHO\nENV myName John Doe\nCOPY f /f\nRUN echo $WHO > /who\nEXPOSE 80 53/udp\nCMD echo "$myName"\n',
        f: 'x',
      },
      { buildArgs: { WHO: 'me' } },
    );
    const history = engine.graph.images.history(id).map((img) => img.config.history?.at(-1)?.created_by);
    expect(history.slice(0, 6)).toEqual([
      '/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "echo \\"$myName\\""]',
      '/bin/sh -c #(nop)  EXPOSE 53/udp 80/tcp',
      '|1 WHO=me /bin/sh -c echo $WHO > /who',
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/f $/),
      '/bin/sh -c #(nop)  ENV myName=John Doe',
      '/bin/sh -c #(nop)  ARG WHO',
    ]);
    const config = engine.images.inspect(id).Config;
    expect(config?.Env).toContain('myName=John Doe');
    expect(config?.Env?.some((e) => e.startsWith('WHO='))).toBe(false);
    expect(engine.list({ all: true })).toEqual([]);
  });

  it('builds FROM scratch: no parent, an empty rootfs but what COPY brings, cached among the parentless', async () => {
    const ctx = writeContext({ Dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "echo", "hi"]\n' });
    copyFileSync(join(unpacked, 'bin/busybox'), join(ctx, 'busybox'));
    const first = await build(engine, packContext(ctx), {}, { stream: () => {}, aux: () => {}, progress: () => {} });
    const chain = engine.graph.images.history(first);
    expect(chain).toHaveLength(2);
    expect(chain[1]!.parent).toBeNull();
    expect(chain.map((img) => img.config.history?.at(-1)?.created_by)).toEqual([
      '/bin/sh -c #(nop)  CMD ["/bin/busybox" "echo" "hi"]',
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/bin\/busybox $/),
    ]);
    expect(engine.images.inspect(first).Config?.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    const again = await build(engine, packContext(ctx), {}, { stream: () => {}, aux: () => {}, progress: () => {} });
    expect(again).toBe(first);

    // ADD does the same for a file that is no archive
    const added = writeContext({ Dockerfile: 'FROM scratch\nADD busybox /bin/\n' });
    copyFileSync(join(unpacked, 'bin/busybox'), join(added, 'busybox'));
    const addedId = await build(engine, packContext(added), {}, { stream: () => {}, aux: () => {}, progress: () => {} });
    const top = engine.graph.images.get(addedId).topLayer!;
    try {
      expect(statSync(join(engine.graph.layers.mountLayer(top), 'bin/busybox')).mode & 0o777).toBe(0o755);
    } finally {
      engine.graph.layers.putLayer(top);
    }

    const { output } = await buildDir({ Dockerfile: 'FROM scratch\nLABEL a=b\n' });
    expect(output).toMatch(/^Step 1\/2 : FROM scratch\n ---> \nStep 2\/2 : LABEL a=b\n/);
    await expect(buildDir({ Dockerfile: 'FROM scratch\n' })).rejects.toThrow('No image was generated. Is your Dockerfile empty?');
    // a meta ARG may name it; a stage still FROM scratch has nothing to copy from
    const viaArg = await buildDir({ Dockerfile: 'ARG BASE=scratch\nFROM $BASE\nLABEL a=b\n' });
    expect(engine.graph.images.get(viaArg.id).parent).toBeNull();
    await expect(buildDir({ Dockerfile: 'FROM scratch AS empty\nFROM busybox\nCOPY --from=empty /bin/sh /sh\n' })).rejects.toThrow(
      'COPY failed: file not found in build context or excluded by .dockerignore: stat bin/sh: file does not exist',
    );
    await expect(buildDir({ Dockerfile: 'FROM scratch\nRUN echo hi\n' }, { forceRm: true })).rejects.toThrow(
      'failed to create task for container: exec: "/bin/sh": stat /bin/sh: no such file or directory',
    );
    expect(engine.list({ all: true })).toEqual([]);
  });

  it('copies from a build stage into a scratch stage (multi-stage)', async () => {
    const { id } = await buildDir({ Dockerfile: 'FROM busybox AS build\nRUN echo built > /artifact\nFROM scratch\nCOPY --from=build /artifact /bin/busybox /\n' });
    const img = engine.graph.images.get(id);
    expect(img.parent).toBeNull();
    expect(img.config.rootfs.diff_ids).toHaveLength(1);
    const root = engine.graph.layers.mountLayer(img.topLayer!);
    try {
      expect(readdirSync(root).sort()).toEqual(['artifact', 'busybox']);
      expect(readFileSync(join(root, 'artifact'), 'utf8')).toBe('built\n');
    } finally {
      engine.graph.layers.putLayer(img.topLayer!);
    }
  });

  it('fails with Docker\'s messages', async () => {
    await expect(buildDir({ Dockerfile: '' })).rejects.toThrow('the Dockerfile (Dockerfile) cannot be empty');
    await expect(buildDir({ Dockerfile: 'RUN true\n' })).rejects.toThrow(BuildError);
    await expect(buildDir({ Dockerfile: 'FROM busybox\nFOO bar\n' })).rejects.toThrow('dockerfile parse error on line 2: unknown instruction: FOO');
    await expect(buildDir({ Dockerfile: 'FROM busybox\nCOPY a b /x\n', a: '', b: '' })).rejects.toThrow(
      'When using COPY with more than one source file, the destination must be a directory and end with a /',
    );
    await expect(buildDir({ Dockerfile: 'FROM busybox\nADD ../something /something\n' })).rejects.toThrow(
      'ADD failed: forbidden path outside the build context: ../something ()',
    );
    await expect(buildDir({ Dockerfile: 'FROM busybox\nONBUILD ONBUILD RUN x\n' })).rejects.toThrow("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    await expect(buildDir({ Dockerfile: 'FROM busybox\nRUN exit 3\n' }, { forceRm: true })).rejects.toMatchObject({
      message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3",
      code: 3,
    });
    expect(engine.list({ all: true })).toEqual([]);
  });

  it('stops when the client goes away: the running RUN is killed, Build cancelled', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const building = buildDir({ Dockerfile: 'FROM busybox\nRUN echo started; sleep 60\n' }, { signal: abort.signal, forceRm: true }, (t) => {
      if (t.includes('started')) abort.abort();
    });
    await expect(building).rejects.toThrow('Build cancelled');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(engine.list({ all: true })).toEqual([]);
  });
  it('pulls a FROM image that is missing, and again under --pull', async () => {
    const registry = await startRegistry();
    try {
      const base = `${registry.host}/base:v1`;
      engine.images.tag('busybox', `${registry.host}/base`, 'v1');
      await engine.distribution.push(base);
      engine.images.remove(base);
      const progress: string[] = [];
      const run = (opts: BuildOptions) =>
        build(engine, packContext(writeContext({ Dockerfile: `FROM ${base}\nRUN true\n` })), opts, {
          stream: () => {},
          aux: () => {},
          progress: (m) => progress.push((m as { status?: string }).status ?? ''),
        });
      const first = await run({});
      expect(progress).toContain(`Status: Downloaded newer image for ${base}`);
      progress.length = 0;
      expect(await run({ pull: true })).toBe(first);
      expect(progress).toContain(`Status: Image is up to date for ${base}`);
    } finally {
      await registry.stop();
    }
  });
});
