import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { Engine } from '@berth/engine-core';
import { startRegistry, type RunningRegistry } from '@berth/registry/test-support';
import { BERTH, canRunE2E, REPO, TestDaemon } from '../test-support/daemon.js';

// The docker CLI and berth's own pull/push/login/logout/search through a berth daemon, against
// Debian's docker-registry on 127.0.0.1 (plain, and behind htpasswd auth).
describe.skipIf(!canRunE2E)('registry commands against berth daemon', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  let registry: RunningRegistry;
  let secured: RunningRegistry;

  beforeAll(async () => {
    [d, registry, secured] = await Promise.all([TestDaemon.start(), startRegistry(), startRegistry({ name: 'alice', password: 's3cret' })]);
    await d.importBusybox();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), secured?.stop()]);
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  /**
   * A two-layer image (busybox plus a committed file) pushed to the registry by an engine of its
   * own: the API has no commit route yet.
   */
  async function pushTwoLayerImage(name: string): Promise<string> {
    const fixture = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    const cgroupParent = `${d.cgroupParent}-maker`;
    const e = Engine.open({ root: join(d.dir, 'maker'), runDir: join(d.dir, 'mk'), cgroupParent });
    try {
      await e.images.import(createReadStream(fixture), { repo: 'busybox' });
      const { Id } = e.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo pushed > /hello'] });
      const exit = e.wait(Id, 'next-exit');
      await e.start(Id);
      await exit;
      const id = await e.commit(Id, { repo: name });
      await e.remove(Id);
      await e.distribution.push(name);
      return id;
    } finally {
      e.close(); // also removes its (now empty) cgroup parent
    }
  }

  it('pulls and pushes a multi-layer image with the docker CLI; the same image comes back, by tag and by digest', async () => {
    const made = `${registry.host}/e2e/made:v1`;
    const id = await pushTwoLayerImage(made);
    const pulled = await d.docker('pull', made);
    expect(pulled.code).toBe(0);
    const out = pulled.stdout.trim().split('\n');
    expect(out[0]).toBe('v1: Pulling from e2e/made');
    expect(out.filter((l) => /^[0-9a-f]{12}: Pull complete$/.test(l))).toHaveLength(2);
    expect(out.at(-1)).toBe(made);
    expect(await d.docker('run', '--rm', made, 'cat', '/hello')).toMatchObject({ code: 0, stdout: 'pushed\n' });

    const name = `${registry.host}/e2e/app:v1`;
    expect((await d.docker('tag', made, name)).code).toBe(0);
    const pushed = await d.docker('push', name);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const lines = pushed.stdout.trim().split('\n');
    expect(lines[0]).toBe(`The push refers to repository [${registry.host}/e2e/app]`);
    expect(lines.filter((l) => /^[0-9a-f]{12}: Mounted from e2e\/made$/.test(l))).toHaveLength(2);
    const digest = /^v1: digest: (sha256:[0-9a-f]{64}) size: \d+$/.exec(lines.at(-1) ?? '')?.[1];
    expect(digest).toBeDefined();

    expect((await d.docker('rmi', made, name)).code).toBe(0);
    const back = await d.docker('pull', name);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`Digest: ${digest}\nStatus: Downloaded newer image for ${name}\n`);
    // The same config, so the same ID; both repositories' digests name it (rmi kept the image).
    expect((await d.docker('inspect', '-f', '{{.Id}} {{.RepoDigests}}', name)).stdout).toBe(
      `${id} [${registry.host}/e2e/app@${digest} ${registry.host}/e2e/made@${digest}]\n`,
    );

    const again = await d.berth('pull', `${registry.host}/e2e/app@${digest}`);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Status: Image is up to date for ${registry.host}/e2e/app@${digest}\n`);

    const all = await d.berth('pull', '-a', `${registry.host}/e2e/made`);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^v1: Pulling from e2e/made\n[^]*\n${registry.host}/e2e/made\n$`));

    // `run` pulls what is missing, progress on stderr.
    expect((await d.docker('rmi', '-f', id)).code).toBe(0);
    const ran = await d.berth('run', '--rm', name, 'cat', '/hello');
    expect(ran.stdout).toBe('pushed\n');
    expect(ran.stderr).toMatch(new RegExp(`^Unable to find image '${name}' locally\nv1: Pulling from e2e/app\n`));
    expect(ran.stderr).toContain(`Status: Downloaded newer image for ${name}\n`);
    expect(ran.code).toBe(0);
  });

  it("fails a missing tag with Docker's message", async () => {
    const missing = `${registry.host}/e2e/app:nope`;
    const want = `Error response from daemon: manifest for ${missing} not found: manifest unknown: manifest unknown\n`;
    expect(await d.docker('pull', missing)).toEqual({ code: 1, stdout: '', stderr: want });
    expect(await d.berth('pull', missing)).toEqual({ code: 1, stdout: '', stderr: want });
  });

  it('needs a login to push to an auth registry; keeps credentials in config.json for both CLIs', async () => {
    const name = `${secured.host}/alice/app:v1`;
    expect((await d.docker('tag', 'busybox', name)).code).toBe(0);
    const refused = await d.berth('push', name);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unauthorized: authentication required|no basic auth credentials/);

    const wrong = await d.docker('login', '-u', 'alice', '-p', 'wrong', secured.host);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Error response from daemon: login attempt to ${secured.url}/v2/ failed with status: 401 Unauthorized`);
    const wrongBerth = await d.berthWith({ input: 'wrong\n' }, 'login', '-u', 'alice', '--password-stdin', secured.host);
    expect(wrongBerth).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: login attempt to ${secured.url}/v2/ failed with status: 401 Unauthorized\n` });

    const ok = await d.berthWith({ input: 's3cret\n' }, 'login', '-u', 'alice', '--password-stdin', secured.host);
    expect(ok).toEqual({ code: 0, stdout: 'Login Succeeded\n', stderr: '' });
    const config = JSON.parse(readFileSync(join(d.dir, 'docker-config/config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(config.auths[secured.host]?.auth).toBe(Buffer.from('alice:s3cret').toString('base64'));

    // The docker CLI finds berth's login in the shared config.json.
    const pushed = await d.docker('push', name);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(/v1: digest: sha256:[0-9a-f]{64} size: \d+\n$/);

    // On a terminal it asks, and the password is not echoed (script itself echoes nothing).
    if (existsSync('/usr/bin/script')) {
      const command = [process.execPath, BERTH, '-H', d.host, 'login', secured.host].join(' ');
      const asked = await new Promise<{ code: number; stdout: string }>((resolve) => {
        const child = execFile('/usr/bin/script', ['-q', '--echo', 'never', '-ec', command, '/dev/null'], { timeout: 30_000, env: { ...process.env, DOCKER_CONFIG: join(d.dir, 'docker-config') } }, (err, stdout) =>
          resolve({ code: err ? Number(err.code) : 0, stdout }),
        );
        // Typed when asked, as a person would.
        let seen = '';
        child.stdout?.on('data', (c: Buffer) => {
          seen += c.toString();
          if (seen.endsWith('Username: ')) child.stdin?.write('alice\r');
          if (seen.endsWith('Password: ')) child.stdin?.write('s3cret\r');
        });
      });
      expect(asked.code).toBe(0);
      expect(asked.stdout).toMatch(/^Username: (alice\r\n)?Password: \r\nLogin Succeeded\r\n$/);
    }

    expect(await d.berth('logout', secured.host)).toEqual({ code: 0, stdout: `Removing login credentials for ${secured.host}\n`, stderr: '' });
    expect(await d.berth('logout', secured.host)).toEqual({ code: 0, stdout: `Not logged in to ${secured.host}\n`, stderr: '' });
    expect((await d.berth('pull', name)).code).toBe(1);
  });

  it('searches a registry through its catalog', async () => {
    const name = `${registry.host}/find/me:v1`;
    expect((await d.docker('tag', 'busybox', name)).code).toBe(0);
    expect((await d.berth('push', name)).code).toBe(0);
    const found = await d.berth('search', `${registry.host}/find`);
    expect(found).toEqual({ code: 0, stdout: 'NAME      DESCRIPTION   STARS     OFFICIAL   AUTOMATED\nfind/me                 0                    \n', stderr: '' });
    const docker = await d.docker('search', `${registry.host}/find`);
    expect(docker.code).toBe(0);
    expect(docker.stdout).toMatch(/^NAME +DESCRIPTION +STARS +OFFICIAL\nfind\/me +0 *\n$/);
  });
  describe('through dockerode', () => {
    const follow = (docker: Docker, stream: NodeJS.ReadableStream): Promise<Array<{ status?: string; id?: string; error?: string }>> =>
      new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: unknown[]) => (err ? reject(err) : resolve(out as never))));

    it('checks credentials, pushes with X-Registry-Auth and pulls back', async () => {
      const docker = new Docker({ socketPath: d.sock });
      const auth = { username: 'alice', password: 's3cret', serveraddress: secured.host };
      await expect(docker.checkAuth({ ...auth, password: 'nope' })).rejects.toMatchObject({ statusCode: 401 });
      expect(await docker.checkAuth(auth)).toEqual({ Status: 'Login Succeeded', IdentityToken: '' });
      const name = `${secured.host}/alice/node`;
      await docker.getImage('busybox').tag({ repo: name, tag: 'v1' });
      const refused = await follow(docker, await docker.getImage(name).push({ tag: 'v1' }));
      expect(refused.at(-1)?.error).toBe('unauthorized: authentication required');
      const pushed = await follow(docker, await docker.getImage(name).push({ tag: 'v1', authconfig: auth }));
      expect(pushed[0]).toEqual({ status: `The push refers to repository [${name}]` });
      await docker.getImage(`${name}:v1`).remove();
      const pulled = await follow(docker, await docker.pull(`${name}:v1`, { authconfig: auth }));
      expect(pulled[0]).toEqual({ status: 'Pulling from alice/node', id: 'v1' });
      expect(pulled.at(-1)).toEqual({ status: `Status: Downloaded newer image for ${name}:v1` });
      await expect(docker.pull(`${secured.host}/alice/none:v1`, { authconfig: auth })).rejects.toMatchObject({ statusCode: 404 });
    });
  });
});
