// POST /build through dockerode against a real engine (as root): the JSON stream dockerode's
// followProgress reads, the aux ID, and Docker's error message with its code.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileOnlyContext } from '@berth/builder';
import { Engine } from '@berth/engine-core';
import { createApiServer, type ApiServer } from '../server.js';
import { engineRoutes } from './index.js';

const repo = join(import.meta.dirname, '../../../..');

interface Message {
  stream?: string;
  aux?: { ID: string };
  error?: string;
  errorDetail?: { code?: number; message: string };
}

describe.skipIf(process.getuid?.() !== 0)('POST /build with dockerode', { timeout: 120_000 }, () => {
  let dir = '';
  let engine: Engine;
  let server: ApiServer;
  let docker: Docker;

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/bapi-');
    engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent: `berth-api-build-${dir.slice(-6)}` });
    const fixture = execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    await engine.images.import(createReadStream(fixture), { repo: 'busybox' });
    server = createApiServer({ routes: engineRoutes(engine), version: { platformName: 'berth', version: '0.1.0', gitCommit: 'abc1234', buildTime: '' } });
    await server.listen({ kind: 'unix', path: join(dir, 's.sock') });
    docker = new Docker({ socketPath: join(dir, 's.sock') });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    engine?.close();
    const left = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(` ${dir}/`));
    rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  const buildText = async (dockerfile: string, opts: Record<string, unknown> = {}): Promise<Message[]> => {
    const stream = await docker.buildImage(Readable.from(dockerfileOnlyContext(Buffer.from(dockerfile))) as unknown as NodeJS.ReadableStream, opts);
    return new Promise((resolve, reject) => docker.modem.followProgress(stream, (err, out) => (err ? reject(err) : resolve(out as Message[]))));
  };

  it('streams the steps, the aux ID and the tags', async () => {
    const out = await buildText('FROM busybox\nRUN echo from-run\n', { t: ['api:1', 'api:2'], buildargs: { UNUSED: 'x' } });
    const text = out.map((m) => m.stream ?? '').join('');
    expect(text).toMatch(/^Step 1\/2 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/2 : RUN echo from-run\n ---> Running in [0-9a-f]{12}\nfrom-run\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n/);
    expect(text).toContain('[Warning] One or more build-args [UNUSED] were not consumed\n');
    expect(text).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged api:1\nSuccessfully tagged api:2\n$/);
    const id = out.find((m) => m.aux)?.aux?.ID;
    expect(id).toBe(engine.images.inspect('api:2').Id);
    expect(engine.list({ all: true })).toEqual([]);
  });

  it("sends a failed step as Docker's error message with the command's exit code", async () => {
    const out = await buildText('FROM busybox\nRUN exit 7\n', { forcerm: true });
    expect(out.at(-1)).toEqual({
      errorDetail: { code: 7, message: "The command '/bin/sh -c exit 7' returned a non-zero code: 7" },
      error: "The command '/bin/sh -c exit 7' returned a non-zero code: 7",
    });
    expect(engine.list({ all: true })).toEqual([]);
  });
});
