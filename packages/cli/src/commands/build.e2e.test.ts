import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, TestDaemon, type Result } from '../test-support/daemon.js';

const DEPRECATION = /^DEPRECATED: The legacy builder is deprecated/;

/** The lines of a build's stdout with IDs replaced by `<id>`, for comparing outputs. */
const shape = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('Sending build context'))
    .map((l) => l.replace(/[0-9a-f]{12}/g, '<id>'));

// Builds run containers on a real daemon: root only, and slow on a loaded machine.
describe.skipIf(!canRunE2E)('docker build against berth', { timeout: 180_000 }, () => {
  let d: TestDaemon;
  let n = 0;
  let server: Server;
  let base = '';

  /** A context directory holding files (path → content). */
  const context = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(d.dir, `ctx${n++}-`));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };
  const docker = (...args: string[]): Promise<Result> => d.docker(...args);
  const run = async (image: string, ...cmd: string[]): Promise<string> => {
    const r = await docker('run', '--rm', '--entrypoint', '', image, ...cmd);
    expect(r.stderr).toBe('');
    return r.stdout;
  };
  const inspect = async (image: string, format: string): Promise<string> => (await docker('inspect', '-f', format, image)).stdout.trim();
  const leftovers = async (): Promise<string> => (await docker('ps', '-a', '-q')).stdout;

  beforeAll(async () => {
    d = await TestDaemon.start();
    await d.importBusybox();
    server = createServer((req, res) => {
      if (req.url === '/hello.txt') {
        res.writeHead(200, { 'Last-Modified': 'Tue, 16 Jun 2015 00:00:00 GMT' }).end('from the web\n');
      } else if (req.url === '/ctx.tar.gz') {
        const dir = context({ Dockerfile: 'FROM busybox\nCOPY f /f\n', f: 'tarball context\n' });
        res.writeHead(200).end(execFileSync('tar', ['-C', dir, '-cz', '.']));
      } else res.writeHead(404).end('no such file\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    const ids = (await d.docker('ps', '-a', '-q')).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await d.docker('rm', '-f', ...ids);
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('builds the book chapter 7 instructions into the image config, with Docker\'s output lines', async () => {
    const dir = context({
      Dockerfile: [
        'FROM busybox',
        'MAINTAINER Victor Vieux <victor@docker.com>',
        'LABEL Description="This image is used to start the foobar executable" Vendor="ACME Products" Version="1.0"',
        'ENV myName="John Doe" myDog=Rex\\ The\\ Dog \\',
        '    myCat=fluffy',
        'ENV abc=hello',
        'ENV abc=bye def=$abc',
        'ENV ghi=$abc',
        'WORKDIR /a',
        'WORKDIR b',
        'WORKDIR c',
        'RUN pwd > /pwd.txt && echo "$myDog"',
        'RUN mkdir /myvol && echo "hello world" > /myvol/greeting',
        'VOLUME /myvol',
        'EXPOSE 8080',
        'USER nobody',
        'ENTRYPOINT ["top", "-b"]',
        'CMD ["-c"]',
        '',
      ].join('\n'),
    });
    const r = await docker('build', '-t', 'book7', dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(DEPRECATION);
    const lines = shape(r.stdout);
    expect(lines.slice(0, 6)).toEqual([
      'Step 1/17 : FROM busybox',
      ' ---> <id>',
      'Step 2/17 : MAINTAINER Victor Vieux <victor@docker.com>',
      ' ---> Running in <id>',
      'Removing intermediate container <id>',
      ' ---> <id>',
    ]);
    const runAt = lines.indexOf('Step 11/17 : RUN pwd > /pwd.txt && echo "$myDog"');
    expect(lines.slice(runAt, runAt + 5)).toEqual([
      'Step 11/17 : RUN pwd > /pwd.txt && echo "$myDog"',
      ' ---> Running in <id>',
      'Rex The Dog',
      'Removing intermediate container <id>',
      ' ---> <id>',
    ]);
    expect(lines.slice(-2)).toEqual(['Successfully built <id>', 'Successfully tagged book7:latest']);
    const id = /Successfully built ([0-9a-f]{12})/.exec(r.stdout)![1]!;
    expect(await inspect('book7', '{{.Id}}')).toMatch(new RegExp(`^sha256:${id}`));

    const config = JSON.parse(await inspect('book7', '{{json .Config}}'));
    expect(config.Env).toEqual(expect.arrayContaining(['myName=John Doe', 'myDog=Rex The Dog', 'myCat=fluffy', 'abc=bye', 'def=hello', 'ghi=bye']));
    expect(config.Env.some((e: string) => e.startsWith('PATH='))).toBe(true);
    expect(config).toMatchObject({
      WorkingDir: '/a/b/c',
      User: 'nobody',
      Entrypoint: ['top', '-b'],
      Cmd: ['-c'],
      ExposedPorts: { '8080/tcp': {} },
      Volumes: { '/myvol': {} },
      Labels: { Description: 'This image is used to start the foobar executable', Vendor: 'ACME Products', Version: '1.0' },
    });
    expect(await inspect('book7', '{{.Author}}')).toBe('Victor Vieux <victor@docker.com>');
    expect(await run('book7', 'cat', '/pwd.txt', '/myvol/greeting')).toBe('/a/b/c\nhello world\n');
    expect(await run('book7', 'id', '-u')).toBe('65534\n');
    // The intermediate images of the steps show only with -a.
    const images = (await docker('images', '-q', '--no-trunc')).stdout.split('\n').filter(Boolean);
    const all = (await docker('images', '-a', '-q', '--no-trunc')).stdout.split('\n').filter(Boolean);
    expect(images).toContain(await inspect('book7', '{{.Id}}'));
    expect(all.length).toBe(images.length + 15);
    expect(await leftovers()).toBe('');
  });

  it("runs the book's ENTRYPOINT demos, ADD wildcards and USER's effect on RUN", async () => {
    const dir = context({
      Dockerfile: [
        'FROM busybox',
        'ADD hom* /mydir/',
        'COPY hom?.txt /single/',
        "RUN echo 'app:x:1000:1000::/tmp:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group && chmod 1777 /tmp",
        'USER app',
        'RUN whoami > /tmp/who && touch /tmp/mine',
        'HEALTHCHECK --interval=5m --timeout=3s CMD wget -q -O- http://localhost/ || exit 1',
        'ENTRYPOINT ["top", "-b"]',
        'CMD ["-c"]',
        '',
      ].join('\n'),
      'home.txt': 'h',
      'homer.txt': 'r',
      'other.txt': 'o',
    });
    const r = await docker('build', '--iidfile', join(dir, 'iid'), '-t', 'top', dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'iid'), 'utf8')).toBe(await inspect('top', '{{.Id}}'));
    expect(JSON.parse(await inspect('top', '{{json .Config.Healthcheck}}'))).toEqual({
      Test: ['CMD-SHELL', 'wget -q -O- http://localhost/ || exit 1'],
      Interval: 300_000_000_000,
      Timeout: 3_000_000_000,
    });
    expect(await run('top', 'ls', '/mydir', '/single')).toBe('/mydir:\nhome.txt\nhomer.txt\n\n/single:\nhome.txt\n');
    expect(await run('top', 'sh', '-c', 'cat /tmp/who; stat -c %U /tmp/mine')).toBe('app\napp\n');
    // `-n 1` replaces CMD's `-c` after the entrypoint: top prints one frame and exits.
    const top = await docker('run', '--rm', 'top', '-n', '1');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/PID +PPID +USER/);
    expect(top.stdout).toMatch(/top -b -n 1/);
    const shell = await docker('build', '-t', 'top-shell', context({ Dockerfile: 'FROM busybox\nENTRYPOINT exec top -b -n 1\nCMD ["-c"]\n' }));
    expect(shell.code).toBe(0);
    expect(await inspect('top-shell', '{{json .Config.Entrypoint}} {{json .Config.Cmd}}')).toBe('["/bin/sh","-c","exec top -b -n 1"] ["-c"]');
    // exec makes top PID 1 (the book's point): no /bin/sh left above it.
    expect((await docker('run', '--rm', 'top-shell')).stdout).toMatch(/\n +1 +0 root .* top -b -n 1/);
  });

  it('builds every FROM of the book\'s multiple images example; -t names the last', async () => {
    const dir = context({ Dockerfile: 'FROM busybox\nRUN echo foo > bar\n\nFROM busybox\nRUN echo moo > oink\n' });
    const r = await docker('build', '-t', 'multi', dir);
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].map((m) => m[1]!);
    expect(ids).toHaveLength(4);
    expect(await run(ids[1]!, 'cat', '/bar')).toBe('foo\n');
    expect(await run('multi', 'cat', '/oink')).toBe('moo\n');
    expect((await docker('run', '--rm', 'multi', 'ls', '/bar')).code).not.toBe(0);
  });

  it('rebuilds from the cache (same ID, faster), and a changed file busts the cache from its COPY', async () => {
    const dir = context({
      Dockerfile: 'FROM busybox\nENV X=1\nRUN echo one > /one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\n',
      'a.txt': 'first\n',
    });
    const t0 = Date.now();
    const first = await docker('build', dir);
    const cold = Date.now() - t0;
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain('Using cache');
    const t1 = Date.now();
    const second = await docker('build', dir);
    const warm = Date.now() - t1;
    expect(second.code).toBe(0);
    expect(second.stdout.match(/ ---> Using cache/g)).toHaveLength(4);
    expect(second.stdout).not.toContain('Running in');
    const built = (o: string): string => /Successfully built ([0-9a-f]{12})/.exec(o)![1]!;
    expect(built(second.stdout)).toBe(built(first.stdout));
    expect(warm).toBeLessThan(cold);

    // The same content with a new mtime keeps the cache; new content busts it from the COPY step.
    writeFileSync(join(dir, 'a.txt'), 'first\n');
    expect((await docker('build', dir)).stdout.match(/Using cache/g)).toHaveLength(4);
    writeFileSync(join(dir, 'a.txt'), 'second\n');
    const third = await docker('build', '-t', 'busted', dir);
    const steps = third.stdout.split(/^Step /m).slice(1);
    expect(steps.map((s) => s.includes('Using cache'))).toEqual([false, true, true, false, false]);
    expect(await run('busted', 'cat', '/copy')).toBe('second\n');

    const nocache = await docker('build', '--no-cache', dir);
    expect(nocache.stdout).not.toContain('Using cache');
  });

  it('keeps .dockerignore\'d files out of the context (the book\'s two rule orders)', async () => {
    const files = {
      Dockerfile: 'FROM busybox\nCOPY . /ctx\n',
      'README.md': 'r',
      'LICENSE.md': 'l',
      tempa: 'x',
      'somedir/temporary.txt': 't',
      'somedir/keep.txt': 'k',
      'somedir/subdir/temporary.txt': 't',
      'deep/a/b/x.log': 'l',
      'deep/a/keep': 'k',
    };
    const list = async (ignore: string): Promise<string> => {
      const dir = context({ ...files, '.dockerignore': ignore });
      const r = await docker('build', '-t', 'ignored', dir);
      expect(r.code).toBe(0);
      return run('ignored', 'sh', '-c', 'cd /ctx && find . -type f | sort');
    };
    expect(await list('*/temp*\n*/*/temp*\ntemp?\n*.md\n!LICENSE.md\n**/*.log\n')).toBe(
      './.dockerignore\n./Dockerfile\n./LICENSE.md\n./deep/a/keep\n./somedir/keep.txt\n',
    );
    expect(await list('*/temp*\n*/*/temp*\ntemp?\n!LICENSE.md\n*.md\nDockerfile\n.dockerignore\n')).toBe(
      './deep/a/b/x.log\n./deep/a/keep\n./somedir/keep.txt\n',
    );
  });

  it('fires ONBUILD triggers in a child build, once', async () => {
    const parent = context({ Dockerfile: 'FROM busybox\nONBUILD COPY . /app/src\nONBUILD RUN ls /app/src > /app/list\n' });
    expect((await docker('build', '-t', 'onbuild-parent', parent)).code).toBe(0);
    expect(JSON.parse(await inspect('onbuild-parent', '{{json .Config.OnBuild}}'))).toEqual(['COPY . /app/src', 'RUN ls /app/src > /app/list']);
    const child = context({ Dockerfile: 'FROM onbuild-parent\n', 'main.c': 'int main;' });
    const r = await docker('build', '-t', 'onbuild-child', child);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Executing 2 build triggers\n');
    expect(await run('onbuild-child', 'cat', '/app/list')).toBe('Dockerfile\nmain.c\n');
    expect(await inspect('onbuild-child', '{{json .Config.OnBuild}}')).toBe('null');
    const grandchild = context({ Dockerfile: 'FROM onbuild-child\n' });
    expect((await docker('build', grandchild)).stdout).not.toContain('Executing');
  });

  it('takes a Dockerfile from stdin (no context for COPY), and a context tar from stdin', async () => {
    const r = await d.dockerWith({ input: 'FROM busybox\nRUN echo piped > /p\n' }, 'build', '-t', 'stdin', '-');
    expect(r.code).toBe(0);
    expect(await run('stdin', 'cat', '/p')).toBe('piped\n');
    const copy = await d.dockerWith({ input: 'FROM busybox\nCOPY x /x\n' }, 'build', '-');
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('COPY failed: file not found in build context or excluded by .dockerignore: stat x: file does not exist');

    const dir = context({ Dockerfile: 'FROM busybox\nCOPY x /x\n', x: 'in a tar\n' });
    const tar = execFileSync('tar', ['-C', dir, '-c', '.']).toString('latin1');
    const fromTar = await d.berthWith({ input: tar }, 'build', '-t', 'stdin-tar', '-');
    expect(fromTar.code).toBe(0);
    expect(await run('stdin-tar', 'cat', '/x')).toBe('in a tar\n');
  });

  it('passes --build-arg to ARG (default, override, unused warning) and in RUN\'s cache key', async () => {
    const dir = context({ Dockerfile: 'ARG BASE=busybox\nFROM $BASE\nARG NAME=world\nARG BASE\nRUN echo "hello $NAME from $BASE" > /greeting\n' });
    const dflt = await docker('build', '-t', 'args', dir);
    expect(dflt.code).toBe(0);
    expect(await run('args', 'cat', '/greeting')).toBe('hello world from busybox\n');
    const given = await docker('build', '-t', 'args2', '--build-arg', 'NAME=berth', '--build-arg', 'UNUSED=1', dir);
    expect(given.code).toBe(0);
    expect(given.stdout).toContain('[Warning] One or more build-args [UNUSED] were not consumed\n');
    expect(given.stdout).not.toContain('Step 5/5 : RUN echo "hello $NAME from $BASE" > /greeting\n ---> Using cache');
    expect(await run('args2', 'cat', '/greeting')).toBe('hello berth from busybox\n');
    // ARG values are not part of the image's environment.
    expect(await inspect('args2', '{{json .Config.Env}}')).not.toContain('NAME');
  });

  it('builds multi-stage Dockerfiles: FROM … AS, COPY --from by name and index, --target', async () => {
    const dir = context({
      Dockerfile: [
        'FROM busybox AS build',
        'RUN mkdir /out && echo built > /out/artifact',
        'FROM busybox',
        'COPY --from=build /out/artifact /artifact',
        'COPY --from=0 /out /again/',
        'COPY --chown=nobody:nogroup --from=build /out/artifact /owned',
        '',
      ].join('\n'),
    });
    const r = await docker('build', '-t', 'staged', dir);
    expect(r.code).toBe(0);
    expect(await run('staged', 'cat', '/artifact', '/again/artifact')).toBe('built\nbuilt\n');
    expect(await run('staged', 'stat', '-c', '%u:%g', '/owned', '/artifact')).toBe('65534:65534\n0:0\n');
    expect((await docker('run', '--rm', 'staged', 'ls', '/out')).code).not.toBe(0);
    const target = await docker('build', '-t', 'staged-build', '--target', 'build', dir);
    expect(target.stdout).toContain('Step 2/2 : RUN');
    expect(await run('staged-build', 'cat', '/out/artifact')).toBe('built\n');
    const missing = await docker('build', '--target', 'nope', dir);
    expect(missing.stderr).toContain('failed to reach build target nope in Dockerfile');
  });

  it('fails a RUN with Docker\'s message and exit code; keeps its container unless --force-rm', async () => {
    const dir = context({ Dockerfile: 'FROM busybox\nRUN echo ok\nRUN exit 13\n' });
    const r = await docker('build', dir);
    expect(r.code).toBe(13);
    expect(r.stderr).toContain("The command '/bin/sh -c exit 13' returned a non-zero code: 13");
    const kept = (await leftovers()).split('\n').filter(Boolean);
    expect(kept).toHaveLength(1);
    expect(r.stdout).toContain(` ---> Running in ${kept[0]}`);
    await docker('rm', kept[0]!);
    const forced = await docker('build', '--force-rm', dir);
    expect(forced.code).toBe(13);
    expect(await leftovers()).toBe('');
    const failing = await d.berth('build', context({ Dockerfile: 'FROM busybox\nRUN false\n' }));
    expect(failing).toMatchObject({ code: 1, stderr: "The command '/bin/sh -c false' returned a non-zero code: 1\n" });
    await docker('rm', '-f', ...(await leftovers()).split('\n').filter(Boolean));
  });

  it('gives the same results from berth build and docker build; -q, -f, several -t, --label, --rm=false', async () => {
    const dir = context({ 'build/Other.Dockerfile': 'FROM busybox\nWORKDIR /w\nCOPY x .\nRUN cat x\n', x: 'same\n' });
    const file = join(dir, 'build/Other.Dockerfile');
    const b = await d.berth('build', '-f', file, '-t', 'same:berth', '-t', 'same:two', '--label', 'k=v', dir);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^Sending build context to Docker daemon {2}\d+(\.\d+)? kB\n/);
    const o = await docker('build', '-f', file, '-t', 'same:docker', '--label', 'k=v', dir);
    expect(o.code).toBe(0);
    expect(shape(o.stdout).filter((l) => !l.includes('Using cache') && !l.includes('Running in') && !l.startsWith('Removing') && !l.startsWith('hello') && l !== 'same')).toEqual(
      shape(b.stdout).filter((l) => !l.includes('Running in') && !l.startsWith('Removing') && l !== 'same' && !l.includes('same:two')).map((l) => l.replace('same:berth', 'same:docker')),
    );
    expect(shape(b.stdout)).toContain('Successfully tagged same:two');
    expect(await inspect('same:docker', '{{.Id}}')).toBe(await inspect('same:berth', '{{.Id}}'));
    expect(await inspect('same:two', '{{json .Config.Labels}}')).toBe('{"k":"v"}');

    const quiet = await docker('build', '-q', '-f', file, dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(await inspect(quiet.stdout.trim(), '{{json .Config.Labels}}')).toBe('{}');

    const keep = await docker('build', '--rm=false', '--no-cache', '-m', '64m', '--cpu-shares', '512', '-f', file, dir);
    expect(keep.code).toBe(0);
    expect(keep.stdout).not.toContain('Removing intermediate container');
    const kept = (await leftovers()).split('\n').filter(Boolean);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    const runContainer = /Step 4\/4 : RUN cat x\n ---> Running in ([0-9a-f]{12})/.exec(keep.stdout)![1]!;
    expect(await inspect(runContainer, '{{.HostConfig.Memory}} {{.HostConfig.CpuShares}}')).toBe('67108864 512');
    await docker('rm', ...kept);
  });

  it('runs RUN containers on the --network given', async () => {
    const dir = context({ Dockerfile: 'FROM busybox\nRUN grep -c : /proc/net/dev > /nets\n' });
    expect((await docker('build', '--no-cache', '-t', 'net-default', dir)).code).toBe(0);
    expect(await run('net-default', 'cat', '/nets')).toBe('1\n');
    expect((await docker('build', '--no-cache', '--network', 'none', '-t', 'net-none', dir)).code).toBe(0);
    expect(await run('net-none', 'cat', '/nets')).toBe('1\n');
    expect((await docker('build', '--no-cache', '--network', 'host', '-t', 'net-host', dir)).code).toBe(0);
    const hostLinks = readFileSync('/proc/net/dev', 'utf8').split('\n').filter((l) => l.includes(':')).length;
    expect(await run('net-host', 'cat', '/nets')).toBe(`${hostLinks}\n`);
  });

  it("builds the book's chapter 9 Nginx images (config baked in, config in volumes)", async () => {
    // The official nginx image is not here: a stand-in with its config layout, built from busybox.
    const base = context({ Dockerfile: 'FROM busybox\nRUN mkdir -p /etc/nginx/conf.d /usr/share/nginx/html && touch /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/examplessl.conf /etc/nginx/nginx.conf\nEXPOSE 80 443\n' });
    expect((await docker('build', '-t', 'nginx', base)).code).toBe(0);
    const site = { 'content/index.html': '<h1>hello</h1>\n', 'conf/nginx.conf': 'worker_processes 1;\n', 'conf/conf.d/site.conf': 'server {}\n' };
    const option2 = context({
      ...site,
      Dockerfile: 'FROM nginx\n\nRUN rm /etc/nginx/conf.d/default.conf\n\nRUN rm /etc/nginx/conf.d/examplessl.conf\n\nCOPY content /usr/share/nginx/html\n\nCOPY conf /etc/nginx\n',
    });
    expect((await docker('build', '-t', 'mynginximage1', option2)).code).toBe(0);
    expect(await run('mynginximage1', 'sh', '-c', 'cat /usr/share/nginx/html/index.html /etc/nginx/nginx.conf; ls /etc/nginx/conf.d')).toBe(
      '<h1>hello</h1>\nworker_processes 1;\nsite.conf\n',
    );
    const option3 = context({ ...site, Dockerfile: 'FROM nginx\n\nCOPY content /usr/share/nginx/html\n\nCOPY conf /etc/nginx\n\nVOLUME /usr/share/nginx/html\n\nVOLUME /etc/nginx\n' });
    const r = await docker('build', '-t', 'mynginximage2', option3);
    expect(r.code).toBe(0);
    expect(JSON.parse(await inspect('mynginximage2', '{{json .Config.Volumes}}'))).toEqual({ '/usr/share/nginx/html': {}, '/etc/nginx': {} });
    expect(JSON.parse(await inspect('mynginximage2', '{{json .Config.ExposedPorts}}'))).toEqual({ '80/tcp': {}, '443/tcp': {} });
    // Option 3 shares its first COPY steps with option 2's cache only where the parents match: none here.
    expect(r.stdout).not.toContain('Using cache');
  });

  it('ADDs URLs and unpacks local archives; COPY does neither', async () => {
    const dir = context({ Dockerfile: `FROM busybox\nADD ${base}/hello.txt /web/\nADD ${base}/hello.txt /named\nADD pack.tar.gz /unpacked/\nCOPY pack.tar.gz /copied/\n` });
    mkdirSync(join(dir, 'src/sub'), { recursive: true });
    writeFileSync(join(dir, 'src/sub/in-archive'), 'packed\n');
    execFileSync('tar', ['-C', join(dir, 'src'), '-czf', join(dir, 'pack.tar.gz'), 'sub']);
    const r = await docker('build', '-t', 'adds', dir);
    expect(r.code).toBe(0);
    expect(await run('adds', 'cat', '/web/hello.txt', '/named', '/unpacked/sub/in-archive')).toBe('from the web\nfrom the web\npacked\n');
    expect(await run('adds', 'stat', '-c', '%a %Y', '/named')).toBe('600 1434412800\n');
    expect(await run('adds', 'ls', '/copied')).toBe('pack.tar.gz\n');
    const copyUrl = await docker('build', context({ Dockerfile: `FROM busybox\nCOPY ${base}/hello.txt /x\n` }));
    expect(copyUrl.stderr).toContain("source can't be a URL for COPY");
  });

  it('builds from a tarball URL and from a git repository (#ref:subdir)', async () => {
    const r = await docker('build', '-t', 'from-url', `${base}/ctx.tar.gz`);
    expect(r.code).toBe(0);
    expect(await run('from-url', 'cat', '/f')).toBe('tarball context\n');

    const repo = context({ 'app/Dockerfile': 'FROM busybox\nCOPY msg /msg\n', 'app/msg': 'on main\n' });
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'one');
    git('checkout', '-qb', 'other');
    writeFileSync(join(repo, 'app/msg'), 'on other\n');
    git('commit', '-qam', 'two');
    git('checkout', '-q', 'main');
    const built = await d.berth('build', '-t', 'from-git', `file://${repo}/.git#other:app`);
    expect(built.code).toBe(0);
    expect(await run('from-git', 'cat', '/msg')).toBe('on other\n');
    expect(readFileSync(join(repo, 'app/msg'), 'utf8')).toBe('on main\n');
  });
});
