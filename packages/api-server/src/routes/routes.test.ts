// The Engine API routes over a real engine (as root, busybox fixture): response shapes checked
// against api-types' schemas, Docker's errors and status codes, wait conditions, logs frames,
// events and import. Each run has its own root, run dir, socket and cgroup parent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerInspect, ContainerSummary, ImageInspect, ImageSummary, SystemInfo, Volume, VolumeListResponse, VolumePruneResponse } from '@berth/api-types';
import { Engine } from '@berth/engine-core';
import { createApiServer } from '../server.js';
import type { ApiServer } from '../server.js';
import { engineRoutes } from './index.js';

const repo = join(import.meta.dirname, '../../../..');
let dir: string;
let sock: string;
let cgroupParent: string;
let engine: Engine;
let server: ApiServer;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

function call(method: string, path: string, body?: Buffer | string | object): Promise<Reply> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: sock, method, path, headers: payload !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) ? { 'Content-Type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString() });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Splits a stdcopy stream into [stream, text] frames. */
function frames(buf: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let i = 0; i + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(i + 4);
    out.push([buf[i] as number, buf.subarray(i + 8, i + 8 + len).toString()]);
    i += 8 + len;
  }
  return out;
}

function cgroupDirs(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => join(l.split(' ')[4] ?? '', cgroupParent))
    .filter((p) => existsSync(p));
}

describe.skipIf(process.getuid?.() !== 0)('engine routes', () => {
  beforeAll(async () => {
    dir = mkdtempSync('/tmp/br-');
    sock = join(dir, 's.sock');
    cgroupParent = `berth-routes-${process.pid}`;
    engine = Engine.open({ root: join(dir, 'root'), runDir: join(dir, 'r'), cgroupParent });
    server = createApiServer({ routes: engineRoutes(engine), version: { platformName: 'berth', version: '0.1.0', gitCommit: '', buildTime: '' } });
    await server.listen({ kind: 'unix', path: sock });
  });

  afterAll(async () => {
    try {
      for (const c of engine.list({ all: true })) await engine.remove(c.Id, { force: true }).catch(() => {});
      await server.close();
      engine.close();
    } finally {
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(dir));
      for (const m of mounts.reverse()) execFileSync('umount', ['-l', m]);
      const leftCgroups = cgroupDirs().filter((p) => execFileSync('find', [p, '-mindepth', '1', '-type', 'd'], { encoding: 'utf8' }).trim() !== '');
      for (const p of cgroupDirs()) execFileSync('find', [p, '-depth', '-type', 'd', '-delete']);
      rmSync(dir, { recursive: true, force: true });
      expect(mounts).toEqual([]);
      expect(leftCgroups).toEqual([]);
    }
  });

  it('imports from the request body, then lists, inspects, tags and refuses to delete an image in use', async () => {
    const tar = readFileSync(execFileSync('node', [join(repo, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim());
    const imported = await call('POST', '/v1.44/images/create?fromSrc=-&repo=busybox&tag=latest', tar);
    expect(imported.status).toBe(200);
    const id = (JSON.parse(imported.text.trim()) as { status: string }).status;
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const list = JSON.parse((await call('GET', '/images/json')).text) as unknown[];
    expect(list.map((i) => ImageSummary.parse(i).RepoTags)).toEqual([['busybox:latest']]);
    const inspect = ImageInspect.parse(JSON.parse((await call('GET', '/images/busybox/json')).text));
    expect(inspect.Id).toBe(id);
    expect((await call('POST', '/images/busybox/tag?repo=example/bb&tag=v1')).status).toBe(201);
    expect(ImageInspect.parse(JSON.parse((await call('GET', '/images/example/bb:v1/json')).text)).Id).toBe(id);
    expect(JSON.parse((await call('DELETE', '/images/example/bb:v1')).text)).toEqual([{ Untagged: 'example/bb:v1' }]);
    expect(await call('GET', '/images/nope/json')).toMatchObject({ status: 404, text: '{"message":"No such image: nope"}\n' });
  });

  it('runs a container through create, wait, start, logs and delete with Docker shapes and errors', async () => {
    const created = await call('POST', '/containers/create?name=web', { Image: 'busybox', Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 2'] });
    expect(created.status).toBe(201);
    const { Id } = JSON.parse(created.text) as { Id: string; Warnings: string[] };
    const conflict = await call('POST', '/containers/create?name=web', { Image: 'busybox', Cmd: ['true'] });
    expect(conflict.status).toBe(409);
    expect((JSON.parse(conflict.text) as { message: string }).message).toContain(`The container name "/web" is already in use by container "${Id}"`);
    expect((await call('POST', '/containers/create', { Image: 'nope', Cmd: ['true'] })).status).toBe(404);

    expect((await call('POST', '/containers/web/wait?condition=bogus')).status).toBe(400);
    const waited = call('POST', '/containers/web/wait?condition=next-exit');
    expect((await call('POST', '/containers/web/start')).status).toBe(204);
    const w = await waited;
    expect(w.status).toBe(200);
    expect(JSON.parse(w.text)).toEqual({ StatusCode: 2 });
    expect((await call('POST', '/containers/web/start')).status).toBe(204);
    await engine.wait('web', 'not-running');

    const logs = await call('GET', '/containers/web/logs?stdout=1&stderr=1');
    expect(logs.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    const got = frames(logs.body);
    expect(got.filter(([s]) => s === 1).map(([, t]) => t).join('')).toBe('out\nout\n');
    expect(got.filter(([s]) => s === 2).map(([, t]) => t).join('')).toBe('err\nerr\n');
    // tail counts the lines of both streams, as Docker's json-file reader does.
    expect(frames((await call('GET', '/containers/web/logs?stdout=1&tail=0')).body)).toEqual([]);
    expect(frames((await call('GET', '/containers/web/logs?stdout=1&tail=4')).body)).toEqual([[1, 'out\n'], [1, 'out\n']]);
    expect((await call('GET', '/containers/web/logs')).status).toBe(400);

    const inspect = ContainerInspect.parse(JSON.parse((await call('GET', '/containers/web/json')).text));
    expect(inspect.State).toMatchObject({ Status: 'exited', ExitCode: 2 });
    const all = (JSON.parse((await call('GET', '/containers/json?all=1')).text) as unknown[]).map((c) => ContainerSummary.parse(c));
    expect(all.map((c) => c.Names)).toEqual([['/web']]);
    expect(JSON.parse((await call('GET', '/containers/json')).text)).toEqual([]);
    expect(JSON.parse((await call('GET', `/containers/json?all=1&filters=${encodeURIComponent('{"status":["running"]}')}`)).text)).toEqual([]);

    expect(await call('POST', '/containers/web/stop')).toMatchObject({ status: 304 });
    expect(await call('POST', '/containers/web/kill')).toMatchObject({ status: 409, text: `{"message":"Container ${Id} is not running"}\n` });
    expect(await call('GET', '/containers/web/top')).toMatchObject({ status: 409 });
    expect((await call('POST', '/containers/web/rename?name=site')).status).toBe(204);
    expect(await call('GET', '/containers/web/json')).toMatchObject({ status: 404, text: '{"message":"No such container: web"}\n' });
    expect(await call('DELETE', '/images/busybox')).toMatchObject({ status: 409 });
    expect((await call('DELETE', '/containers/site?v=1')).status).toBe(204);
    expect((await call('DELETE', '/containers/site')).status).toBe(404);
  });

  it('tops and stops a running container and streams its events', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const { Id } = JSON.parse((await call('POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '30'] })).text) as { Id: string };
    await call('POST', `/containers/${Id}/start`);
    const top = JSON.parse((await call('GET', `/containers/${Id.slice(0, 10)}/top`)).text) as { Titles: string[]; Processes: string[][] };
    expect(top.Titles).toEqual(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    expect(top.Processes.map((p) => p[7])).toEqual(['sleep 30']);
    expect((await call('POST', `/containers/${Id}/pause`)).status).toBe(204);
    expect((await call('POST', `/containers/${Id}/pause`)).status).toBe(409);
    expect((await call('POST', `/containers/${Id}/unpause`)).status).toBe(204);
    expect((await call('DELETE', `/containers/${Id}`)).status).toBe(409);
    expect((await call('POST', `/containers/${Id}/kill?signal=SIGNOPE`)).status).toBe(400);
    // sleep as PID 1 has no TERM handler: the kernel drops SIGTERM and SIGKILL follows after t.
    expect((await call('POST', `/containers/${Id}/stop?t=1`)).status).toBe(204);
    const until = Math.floor(Date.now() / 1000) + 1;
    const events = await call('GET', `/events?since=${since}&until=${until}&filters=${encodeURIComponent(`{"container":["${Id}"]}`)}`);
    const actions = events.text.trim().split('\n').map((l) => (JSON.parse(l) as { Action: string }).Action);
    expect(actions).toEqual(['create', 'start', 'top', 'pause', 'unpause', 'kill', 'kill', 'die', 'stop']);
    expect(events.text).toMatch(/"timeNano":\d{19}\}/);
  });

  it('answers stats frames and updates limits, with Docker errors', async () => {
    const create = { Image: 'busybox', Cmd: ['sleep', '30'], HostConfig: { Memory: 32 << 20 } };
    const { Id } = JSON.parse((await call('POST', '/containers/create', create)).text) as { Id: string };
    await call('POST', `/containers/${Id}/start`);
    const once = await call('GET', `/containers/${Id}/stats?stream=false&one-shot=true`);
    expect(once).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    const frame = JSON.parse(once.text) as { id: string; memory_stats: { limit: number }; precpu_stats: { cpu_usage: { total_usage: number } } };
    expect(frame).toMatchObject({ id: Id, memory_stats: { limit: 32 << 20 }, precpu_stats: { cpu_usage: { total_usage: 0 } } });
    const legacy = JSON.parse((await call('GET', `/v1.19/containers/${Id}/stats?stream=0&one-shot=1`)).text) as object;
    expect(Object.keys(legacy)).toEqual(['read', 'network', 'precpu_stats', 'cpu_stats', 'memory_stats', 'blkio_stats']);
    expect((await call('GET', '/containers/nope/stats?stream=0')).status).toBe(404);
    expect((await call('GET', `/containers/${Id}/stats?one-shot=1`)).status).toBe(400);

    expect(await call('POST', `/containers/${Id}/update`, { Memory: 64 << 20, MemorySwap: 128 << 20, CpuShares: 256 })).toMatchObject({
      status: 200,
      text: '{"Warnings":[]}\n',
    });
    const v1 = `/sys/fs/cgroup/memory/${cgroupParent}/${Id}/memory.limit_in_bytes`;
    expect(readFileSync(existsSync(v1) ? v1 : `/sys/fs/cgroup/${cgroupParent}/${Id}/memory.max`, 'utf8')).toBe(`${64 << 20}\n`);
    expect(await call('POST', `/containers/${Id}/update`, { Memory: 1 })).toMatchObject({
      status: 400,
      text: `{"message":"Cannot update container ${Id}: Minimum memory limit allowed is 6MB"}\n`,
    });
    expect((await call('POST', `/containers/${Id}/update`, { Memory: 'lots' })).status).toBe(400);
    expect((await call('DELETE', `/containers/${Id}?force=1`)).status).toBe(204);
  });

  it('reports real figures in /info', async () => {
    const info = SystemInfo.parse(JSON.parse((await call('GET', '/info')).text));
    const containers = engine.list({ all: true }).length;
    expect(containers).toBeGreaterThan(0);
    expect(info).toMatchObject({ Containers: containers, ContainersRunning: 0, ContainersStopped: containers, Images: 1, LoggingDriver: 'json-file', CgroupDriver: 'cgroupfs', OSType: 'linux' });
    expect(info.NCPU).toBeGreaterThan(0);
    expect(info.MemTotal).toBeGreaterThan(0);
    expect(info.DockerRootDir).toBe(join(dir, 'root'));
    expect(info.DriverStatus.length).toBeGreaterThan(0);
  });

  it('creates, lists, inspects, refuses and removes volumes with Docker shapes and codes', async () => {
    const created = await call('POST', '/volumes/create', { Name: 'api-vol', Labels: { a: 'b' }, Driver: null });
    expect(created.status).toBe(201);
    expect(Volume.parse(JSON.parse(created.text))).toMatchObject({ Name: 'api-vol', Driver: 'local', Labels: { a: 'b' }, Options: null, Scope: 'local' });
    expect((await call('POST', '/volumes/create', { Name: 'x' })).status).toBe(400);
    expect(JSON.parse((await call('POST', '/volumes/create', { Driver: 'nfs' })).text)).toEqual({ message: 'error looking up volume plugin nfs: plugin "nfs" not found' });
    const plugin = await call('POST', '/containers/create', { Image: 'busybox', Cmd: ['true'], HostConfig: { Binds: ['pv:/v'], VolumeDriver: 'nfs' } });
    expect(plugin.status).toBe(404);
    expect(JSON.parse(plugin.text)).toEqual({ message: 'error looking up volume plugin nfs: plugin "nfs" not found' });
    const c = engine.createContainer({ Image: 'busybox', Cmd: ['true'], HostConfig: { Binds: ['api-vol:/v', '/tmp:/h:ro'] } });
    const summary = ContainerSummary.parse((JSON.parse((await call('GET', '/containers/json?all=1')).text) as unknown[])[0]);
    expect(summary.Mounts).toEqual([
      { Type: 'volume', Name: 'api-vol', Source: join(dir, 'root/volumes/api-vol/_data'), Destination: '/v', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/tmp', Destination: '/h', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    ]);
    const legacy = JSON.parse((await call('GET', `/v1.19/containers/${c.Id}/json`)).text) as Record<string, unknown>;
    expect(legacy['Mounts']).toBeUndefined();
    expect(legacy['Volumes']).toEqual({ '/v': join(dir, 'root/volumes/api-vol/_data'), '/h': '/tmp' });
    expect(legacy['VolumesRW']).toEqual({ '/v': true, '/h': false });
    const dangling = VolumeListResponse.parse(JSON.parse((await call('GET', `/volumes?filters=${encodeURIComponent('{"dangling":["true"]}')}`)).text));
    expect(dangling).toEqual({ Volumes: [], Warnings: [] });
    expect((await call('GET', `/volumes?filters=${encodeURIComponent('{"nope":["1"]}')}`)).status).toBe(400);
    const busy = await call('DELETE', '/volumes/api-vol');
    expect(busy.status).toBe(409);
    expect(JSON.parse(busy.text)).toEqual({ message: `remove api-vol: volume is in use - [${c.Id}]` });
    await engine.remove(c.Id);
    expect(VolumePruneResponse.parse(JSON.parse((await call('POST', '/volumes/prune')).text))).toEqual({ VolumesDeleted: [], SpaceReclaimed: 0 });
    expect((await call('DELETE', '/volumes/api-vol')).status).toBe(204);
    const gone = await call('GET', '/volumes/api-vol');
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toEqual({ message: 'get api-vol: no such volume' });
    expect((await call('DELETE', '/volumes/api-vol?force=1')).status).toBe(204);
  });
});
