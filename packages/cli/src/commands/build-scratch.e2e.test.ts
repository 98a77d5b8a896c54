// `FROM scratch` end to end: the docker CLI's legacy builder and `berth build` on a real daemon,
// a static busybox copied into an empty image, and the name `scratch` refused as Docker does.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canRunE2E, REPO, useTestDaemon } from '../test-support/daemon.js';

describe.skipIf(!canRunE2E)('FROM scratch against berth', { timeout: 180_000 }, () => {
  const daemon = useTestDaemon();

  /** A context with the fixture's static busybox as `busybox` and the given Dockerfile. */
  const context = (dockerfile: string): string => {
    const dir = mkdtempSync(join(daemon().dir, 'ctx-'));
    const fixture = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    execFileSync('tar', ['-xf', fixture, '-C', dir, 'bin/busybox']);
    copyFileSync(join(dir, 'bin/busybox'), join(dir, 'busybox'));
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    return dir;
  };
  const idOf = async (image: string): Promise<string> => (await daemon().docker('inspect', '-f', '{{.Id}}', image)).stdout.trim();

  it('builds a scratch image with busybox copied in, the same image from berth build and docker build, and runs it', async () => {
    const d = daemon();
    const dir = context('FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "echo", "hello from scratch"]\n');
    const b = await d.berth('build', '-t', 'tiny:berth', dir);
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('Step 1/3 : FROM scratch\n ---> \nStep 2/3 : COPY busybox /bin/busybox\n');
    const o = await d.docker('build', '-t', 'tiny:docker', dir);
    expect(o.code).toBe(0);
    expect(o.stdout).toContain('Step 1/3 : FROM scratch\n ---> \nStep 2/3 : COPY busybox /bin/busybox\n ---> Using cache\n');
    expect(await idOf('tiny:docker')).toBe(await idOf('tiny:berth'));
    // two steps, two images: the COPY's has no parent
    const copied = (await d.docker('inspect', '-f', '{{.Parent}}', 'tiny:berth')).stdout.trim();
    expect(await d.docker('inspect', '-f', '{{.Parent}}|{{len .RootFS.Layers}}', copied)).toMatchObject({ stdout: '|1\n' });
    expect(await d.docker('run', '--rm', 'tiny:berth')).toMatchObject({ code: 0, stdout: 'hello from scratch\n', stderr: '' });
    // nothing but what was copied and what the engine mounts
    const ls = await d.docker('run', '--rm', 'tiny:berth', '/bin/busybox', 'ls', '/', '/bin');
    expect(ls.stdout).toBe('/:\nbin\ndev\netc\nproc\nsys\n\n/bin:\nbusybox\n');
    // no shell in the image: `docker run IMAGE sh` and a shell-form RUN fail as with runc
    const noShell = await d.docker('run', '--rm', 'tiny:berth', 'sh');
    expect(noShell.code).toBe(127);
    expect(noShell.stderr).toContain('exec: "sh": executable file not found in $PATH');
  });

  it('fails a RUN in a scratch stage with the exec error of /bin/sh', async () => {
    const d = daemon();
    const dir = context('FROM scratch\nRUN echo hi\n');
    const r = await d.docker('build', '--force-rm', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Step 2\/2 : RUN echo hi\n ---> Running in [0-9a-f]{12}\n/);
    expect(r.stderr).toContain('failed to create task for container: exec: "/bin/sh": stat /bin/sh: no such file or directory\n');
    expect(await d.berth('build', '--force-rm', dir)).toMatchObject({
      code: 1,
      stderr: 'failed to create task for container: exec: "/bin/sh": stat /bin/sh: no such file or directory\n',
    });
    expect((await d.docker('ps', '-aq')).stdout).toBe('');
  });

  it('copies a multi-stage build artifact into a scratch stage', async () => {
    const d = daemon();
    const dir = context(
      'FROM busybox AS build\nRUN mkdir /out && echo built > /out/artifact\nFROM scratch\nCOPY --from=build /bin/busybox /bin/\nCOPY --from=build /out/artifact /\nENTRYPOINT ["/bin/busybox"]\n',
    );
    expect((await d.docker('build', '-t', 'staged-scratch', dir)).code).toBe(0);
    expect(await d.docker('run', '--rm', 'staged-scratch', 'cat', '/artifact')).toMatchObject({ code: 0, stdout: 'built\n' });
    expect(await d.docker('history', '-q', 'staged-scratch')).toMatchObject({ stdout: expect.not.stringContaining('<missing>') });
    expect((await d.docker('history', '-q', 'staged-scratch')).stdout.trim().split('\n')).toHaveLength(3);
  });

  it("refuses the name scratch: 'scratch' is a reserved name", async () => {
    const d = daemon();
    const tag = await d.docker('tag', 'busybox', 'scratch');
    expect(tag).toMatchObject({ code: 1, stderr: "Error response from daemon: 'scratch' is a reserved name\n" });
    expect(await d.docker('tag', 'busybox', 'docker.io/library/scratch:v1')).toMatchObject({ code: 1 });
    const pull = await d.docker('pull', 'scratch');
    expect(pull).toMatchObject({ code: 1, stderr: "Error response from daemon: 'scratch' is a reserved name\n" });
    expect(await d.berth('tag', 'busybox', 'scratch')).toMatchObject({ code: 1, stderr: expect.stringContaining("'scratch' is a reserved name") });
    expect(await d.berth('pull', 'scratch')).toMatchObject({ code: 1, stderr: expect.stringContaining("'scratch' is a reserved name") });
    const api = await d.api('POST', '/images/busybox/tag?repo=scratch');
    expect(api.status).toBe(403);
    // only the builder makes containers from no image; the API still wants one
    expect(await d.api('POST', '/containers/create', { Cmd: ['/bin/busybox'] })).toMatchObject({
      status: 400,
      text: expect.stringContaining('Config cannot be empty in order to create a container'),
    });
    expect(await d.api('POST', '/containers/create', { Image: 'scratch' })).toMatchObject({ status: 404 });
    const fixture = execFileSync(process.execPath, [join(REPO, 'tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();
    const images = async (): Promise<string> => (await d.docker('images', '-a', '-q')).stdout;
    const before = await images();
    expect(await d.docker('import', fixture, 'scratch')).toMatchObject({ code: 1, stderr: "Error response from daemon: 'scratch' is a reserved name\n" });
    expect(await images()).toBe(before);
  });
});
