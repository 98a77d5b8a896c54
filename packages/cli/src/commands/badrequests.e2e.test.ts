// End to end, as root: bad requests to a real `berth daemon` answered 4xx with Docker's messages
// (malformed JSON, unknown container and exec, API versions out of range, bad signals), over raw
// HTTP and through the docker CLI.
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, useTestDaemon, type TestDaemon } from '../test-support/daemon.js';

let d: TestDaemon;

/** The status and parsed body of a raw API call. */
async function call(method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
  const a = await d.api(method, path, body);
  return { status: a.status, body: a.text ? (JSON.parse(a.text) as unknown) : undefined };
}

const refusal = (status: number, message: string) => ({ status, body: { message } });

describe.skipIf(!canRunE2E)('bad requests', { timeout: 90_000 }, () => {
  let box = '';

  const daemon = useTestDaemon();
  beforeAll(async () => {
    d = daemon();
    box = (await d.docker('run', '-d', '--name', 'target', 'busybox', 'sleep', '1000')).stdout.trim();
  });

  it('malformed JSON: 400 with Go’s decoder messages', async () => {
    expect(await call('POST', '/v1.44/containers/create', '{"Image": "busybox",')).toEqual(refusal(400, 'invalid JSON: unexpected EOF'));
    expect(await call('POST', '/v1.44/containers/create', 'xyz')).toEqual(refusal(400, "invalid JSON: invalid character 'x' looking for beginning of value"));
    expect(await call('POST', '/v1.44/containers/create', '{"Image" "busybox"}')).toEqual(refusal(400, `invalid JSON: invalid character '"' after object key`));
    expect(await call('POST', '/v1.44/containers/create', '{"Image": "busybox" x}')).toEqual(
      refusal(400, "invalid JSON: invalid character 'x' after object key:value pair"),
    );
    expect(await call('POST', `/v1.44/containers/${box}/exec`, '{"Cmd": ["ls",]}')).toEqual(refusal(400, "invalid JSON: invalid character ']' looking for beginning of value"));
    expect(await call('POST', `/v1.44/containers/${box}/exec`, '{}')).toEqual(refusal(400, 'No exec command specified'));
  });

  it('unknown containers and exec instances: 404', async () => {
    expect(await call('GET', '/v1.44/containers/nosuch/json')).toEqual(refusal(404, 'No such container: nosuch'));
    expect(await call('POST', '/v1.44/containers/nosuch/kill')).toEqual(refusal(404, 'No such container: nosuch'));
    expect(await call('DELETE', '/v1.44/containers/nosuch')).toEqual(refusal(404, 'No such container: nosuch'));
    expect(await call('POST', '/v1.44/containers/nosuch/exec', '{"Cmd":["ls"]}')).toEqual(refusal(404, 'No such container: nosuch'));
    expect(await call('POST', '/v1.44/exec/nosuch/start', '{}')).toEqual(refusal(404, 'No such exec instance: nosuch'));
    expect(await d.docker('inspect', '--type', 'container', 'nosuch')).toEqual({ code: 1, stdout: '[]\n', stderr: 'Error response from daemon: No such container: nosuch\n' });
    expect(await d.docker('rm', 'nosuch')).toMatchObject({ code: 1, stderr: 'Error response from daemon: No such container: nosuch\n' });
  });

  it('API versions out of range: 400', async () => {
    expect(await call('GET', '/v1.11/version')).toEqual(
      refusal(400, 'client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version'),
    );
    expect(await call('GET', '/v1.99/version')).toEqual(refusal(400, 'client version 1.99 is too new. Maximum supported API version is 1.44'));
    expect((await call('GET', '/v1.12/version')).status).toBe(200);
  });

  it('bad signals: 400 and the container keeps running', async () => {
    expect(await call('POST', `/v1.44/containers/${box}/kill?signal=FOO`)).toEqual(refusal(400, 'Invalid signal: FOO'));
    expect(await call('POST', `/v1.44/containers/${box}/kill?signal=99`)).toEqual(refusal(400, 'Invalid signal: 99'));
    expect(await d.docker('kill', '-s', 'NOPE', 'target')).toMatchObject({ code: 1, stderr: 'Error response from daemon: Invalid signal: NOPE\n' });
    expect((await d.docker('inspect', '-f', '{{.State.Running}}', 'target')).stdout).toBe('true\n');
  });
});
