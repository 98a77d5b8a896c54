// End to end, as root: every Engine API endpoint berth implements, called on a real `berth daemon`,
// each answer checked against the v1.44 swagger: the status is one the swagger lists for the
// operation, and a JSON body conforms to the response schema of that status.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, useTestDaemon, type ApiAnswer, type TestDaemon } from '../test-support/daemon.js';
import { SWAGGER_FILE, SwaggerValidator } from '../test-support/swagger.js';

let d: TestDaemon;
const swagger = existsSync(SWAGGER_FILE) ? SwaggerValidator.load() : undefined;
const call = (method: string, path: string, body?: unknown): Promise<ApiAnswer> => d.api(method, `/v1.44${path}`, body);

/**
 * What dockerd sends too, beyond its own swagger: Go's nil pointers as null (where the swagger
 * omits x-nullable) and the legacy status/id/from of events.
 */
const DOCKERD_TOO = [
  /^GET \/events 200: \$\.(status|id|from): not in swagger$/,
  /^GET \/containers\/\{id\}\/json 200: \$\.HostConfig\.(MemorySwappiness|OomKillDisable|PidsLimit): null where swagger has \w+$/,
  /^GET \/exec\/\{id\}\/json 200: \$\.ExitCode: null where swagger has integer$/,
];

/** What is wrong with the answer to `method path` (the swagger's path template in `op`). */
function problems(method: string, op: string, a: ApiAnswer, jsonLines = false): string[] {
  if (!swagger) return [];
  let schema;
  try {
    schema = swagger.responseSchema(method, op, a.status);
  } catch (e) {
    return [`${(e as Error).message} (${a.text.trim()})`];
  }
  if (!schema) return [];
  // Text (/_ping's OK) and streams (logs) are bytes the swagger only names.
  if (!String(a.headers['content-type'] ?? '').startsWith('application/json')) return [];
  const docs = jsonLines ? a.text.split('\n').filter(Boolean) : [a.text];
  return docs
    .flatMap((doc) => swagger.validate(JSON.parse(doc), schema).map((p) => `${method} ${op} ${a.status}: ${p}`))
    .filter((p) => !DOCKERD_TOO.some((re) => re.test(p)));
}

/** Calls an endpoint and collects what does not conform. */
async function check(found: string[], method: string, path: string, op: string, body?: unknown): Promise<ApiAnswer> {
  const a = await call(method, path, body);
  found.push(...problems(method, op, a));
  return a;
}

describe.skipIf(!canRunE2E || !swagger)('API responses conform to the v1.44 swagger', { timeout: 120_000 }, () => {
  const daemon = useTestDaemon();
  beforeAll(() => {
    d = daemon();
  });

  it('system, images, containers, exec and errors', async () => {
    const found: string[] = [];
    const since = Math.floor(Date.now() / 1000) - 1;

    expect((await check(found, 'GET', '/_ping', '/_ping')).text).toBe('OK');
    expect((await check(found, 'HEAD', '/_ping', '/_ping')).status).toBe(200);
    await check(found, 'GET', '/version', '/version');
    await check(found, 'GET', '/info', '/info');

    await check(found, 'GET', '/images/json', '/images/json');
    await check(found, 'GET', '/images/busybox/json', '/images/{name}/json');
    expect((await check(found, 'POST', '/images/busybox/tag?repo=conf&tag=v1', '/images/{name}/tag')).status).toBe(201);
    expect((await check(found, 'DELETE', '/images/conf:v1', '/images/{name}')).status).toBe(200);

    const created = await check(found, 'POST', '/containers/create?name=conf', '/containers/create', {
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo hi; sleep 1000'],
      Labels: { a: 'b' },
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.text) as { Id: string }).Id;
    await check(found, 'GET', `/containers/${id}/json`, '/containers/{id}/json');
    await check(found, 'POST', `/containers/${id}/start`, '/containers/{id}/start');
    expect((await check(found, 'POST', `/containers/${id}/start`, '/containers/{id}/start')).status).toBe(304);
    await check(found, 'GET', '/containers/json?all=1', '/containers/json');
    await check(found, 'GET', `/containers/${id}/json`, '/containers/{id}/json');
    await check(found, 'GET', `/containers/${id}/top`, '/containers/{id}/top');
    await check(found, 'GET', `/containers/${id}/logs?stdout=1`, '/containers/{id}/logs');
    await check(found, 'POST', `/containers/${id}/resize?h=20&w=80`, '/containers/{id}/resize');
    await check(found, 'GET', `/containers/${id}/stats?stream=0`, '/containers/{id}/stats');
    await check(found, 'POST', `/containers/${id}/update`, '/containers/{id}/update', { CpuShares: 512 });

    const exec = await check(found, 'POST', `/containers/${id}/exec`, '/containers/{id}/exec', { Cmd: ['true'], AttachStdout: true });
    const execId = (JSON.parse(exec.text) as { Id: string }).Id;
    await check(found, 'GET', `/exec/${execId}/json`, '/exec/{id}/json');
    await check(found, 'POST', `/exec/${execId}/start`, '/exec/{id}/start', { Detach: false });
    await check(found, 'POST', `/exec/${execId}/resize?h=20&w=80`, '/exec/{id}/resize');
    await check(found, 'GET', `/exec/${execId}/json`, '/exec/{id}/json');
    expect((await check(found, 'POST', `/exec/${execId}/start`, '/exec/{id}/start', { Detach: true })).status).toBe(409);

    await check(found, 'POST', `/containers/${id}/pause`, '/containers/{id}/pause');
    await check(found, 'GET', `/containers/${id}/json`, '/containers/{id}/json');
    await check(found, 'POST', `/containers/${id}/unpause`, '/containers/{id}/unpause');
    await check(found, 'POST', `/containers/${id}/rename?name=conf2`, '/containers/{id}/rename');
    await check(found, 'POST', `/containers/${id}/kill?signal=SIGUSR1`, '/containers/{id}/kill');
    await check(found, 'POST', `/containers/${id}/restart?t=0`, '/containers/{id}/restart');
    await check(found, 'POST', `/containers/${id}/stop?t=0`, '/containers/{id}/stop');
    await check(found, 'POST', `/containers/${id}/wait`, '/containers/{id}/wait');
    await check(found, 'GET', `/containers/${id}/json`, '/containers/{id}/json');
    await check(found, 'DELETE', `/containers/${id}`, '/containers/{id}');

    const events = await call('GET', `/events?since=${since}&until=${Math.floor(Date.now() / 1000) + 1}`);
    found.push(...problems('GET', '/events', events, true));
    expect(events.text.split('\n').filter(Boolean).length).toBeGreaterThan(10);

    // Errors: the ErrorResponse of the status.
    expect((await check(found, 'GET', '/containers/nosuch/json', '/containers/{id}/json')).status).toBe(404);
    expect((await check(found, 'GET', '/exec/nosuch/json', '/exec/{id}/json')).status).toBe(404);
    expect((await check(found, 'POST', '/containers/create', '/containers/create', '{"Image":')).status).toBe(400);
    expect((await check(found, 'POST', '/containers/create', '/containers/create', { Image: 'nosuch' })).status).toBe(404);
    expect((await check(found, 'GET', '/containers/json?filters=nonsense', '/containers/json')).status).toBe(400);
    expect([...new Set(found)]).toEqual([]);
  });

  it('volumes, and containers that mount them', async () => {
    const found: string[] = [];
    expect((await check(found, 'POST', '/volumes/create', '/volumes/create', { Name: 'confvol', Labels: { a: 'b' } })).status).toBe(201);
    await check(found, 'POST', '/volumes/create', '/volumes/create', { DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    await check(found, 'GET', '/volumes', '/volumes');
    await check(found, 'GET', '/volumes/confvol', '/volumes/{name}');
    const created = await check(found, 'POST', '/containers/create', '/containers/create', {
      Image: 'busybox',
      Cmd: ['true'],
      Volumes: { '/anon': {} },
      HostConfig: { Binds: ['confvol:/v', '/tmp:/h:ro'], Mounts: [{ Type: 'tmpfs', Target: '/t' }], Tmpfs: { '/run': 'size=1m' } },
    });
    const id = (JSON.parse(created.text) as { Id: string }).Id;
    await check(found, 'GET', `/containers/${id}/json`, '/containers/{id}/json');
    await check(found, 'GET', '/containers/json?all=1', '/containers/json');
    expect((await check(found, 'DELETE', '/volumes/confvol', '/volumes/{name}')).status).toBe(409);
    await check(found, 'DELETE', `/containers/${id}?v=1`, '/containers/{id}');
    await check(found, 'POST', '/volumes/prune', '/volumes/prune');
    expect((await check(found, 'DELETE', '/volumes/confvol', '/volumes/{name}')).status).toBe(204);
    expect((await check(found, 'GET', '/volumes/confvol', '/volumes/{name}')).status).toBe(404);
    await check(found, 'POST', '/volumes/prune?filters={"all":["true"]}', '/volumes/prune');
    expect([...new Set(found)]).toEqual([]);
  });
});

// The network endpoints make bridges and rules: on a daemon in a network namespace of its own.
describe.skipIf(!canRunE2E || !swagger)('network API responses conform to the v1.44 swagger', { timeout: 120_000 }, () => {
  const daemon = useTestDaemon({ netns: true });
  beforeAll(() => {
    d = daemon();
  });

  it('networks: list, create, inspect, connect, disconnect, remove, prune and errors', async () => {
    const found: string[] = [];
    await check(found, 'GET', '/networks', '/networks');
    await check(found, 'GET', '/networks/bridge', '/networks/{id}');
    const created = await check(found, 'POST', '/networks/create', '/networks/create', { Name: 'conf-net', Labels: { a: 'b' }, IPAM: { Config: [{ Subnet: '10.79.0.0/24' }] } });
    expect(created.status).toBe(201);
    const { Id } = JSON.parse(created.text) as { Id: string };
    const c = await call('POST', '/containers/create?name=conf-net-c', { Image: 'busybox', Cmd: ['sleep', '30'] });
    const cid = (JSON.parse(c.text) as { Id: string }).Id;
    await call('POST', `/containers/${cid}/start`);
    await check(found, 'POST', `/networks/${Id}/connect`, '/networks/{id}/connect', { Container: cid, EndpointConfig: { Aliases: ['x'] } });
    await check(found, 'GET', `/networks/${Id}`, '/networks/{id}');
    await check(found, 'GET', `/containers/${cid}/json`, '/containers/{id}/json');
    await check(found, 'GET', '/containers/json', '/containers/json');
    expect((await check(found, 'DELETE', `/networks/${Id}`, '/networks/{id}')).status).toBe(403);
    await check(found, 'POST', `/networks/${Id}/disconnect`, '/networks/{id}/disconnect', { Container: cid });
    await call('DELETE', `/containers/${cid}?force=1`);
    expect((await check(found, 'DELETE', `/networks/${Id}`, '/networks/{id}')).status).toBe(204);
    await check(found, 'POST', '/networks/create', '/networks/create', { Name: 'conf-spare' });
    await check(found, 'POST', '/networks/prune', '/networks/prune');
    expect((await check(found, 'GET', '/networks/nosuch', '/networks/{id}')).status).toBe(404);
    expect((await check(found, 'DELETE', '/networks/bridge', '/networks/{id}')).status).toBe(403);
    // (a taken name is a 409, as dockerd answers, though its swagger lists none)
    expect((await check(found, 'POST', '/networks/create', '/networks/create', { Name: 'n', Driver: 'nosuch' })).status).toBe(404);
    expect([...new Set(found)]).toEqual([]);
  });
});
