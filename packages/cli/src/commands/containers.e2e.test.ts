import { existsSync, readFileSync } from 'node:fs';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERTH, canRunE2E, REPO, TestDaemon, type Result } from '../test-support/daemon.js';

// A real daemon runs containers: root only (the CI runs as root).
// Each test drives several containers through separate CLI processes: allow a loaded machine time.
describe.skipIf(!canRunE2E)('berth commands against berth daemon', { timeout: 90_000 }, () => {
  let d: TestDaemon;
  const berth = (...args: string[]): Promise<Result> => d.berth(...args);
  const made: string[] = [];

  beforeAll(async () => {
    d = await TestDaemon.start();
    const fixture = execFileSync(process.execPath, ['tools/fixtures/busybox.mjs'], { cwd: REPO, encoding: 'utf8' }).trim();
    const imported = await berth('import', fixture, 'busybox');
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  }, 60_000);

  afterAll(async () => {
    for (const name of made) await berth('rm', '-f', name);
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
  }, 60_000);

  it('runs, lists, logs, stops and removes containers of the imported busybox', async () => {
    const images = await berth('images');
    expect(images.stdout).toMatch(/^REPOSITORY {10}TAG {17}IMAGE ID {12}CREATED {13,}VIRTUAL SIZE\nbusybox {13}latest {14}[0-9a-f]{12} {8}/);

    expect(await berth('run', '--rm', 'busybox', 'echo', 'hello')).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
    // --rm: the daemon removes it (AutoRemove) before the CLI exits, whatever the exit or a failed start.
    expect(await berth('run', '--rm', 'busybox', 'sh', '-c', 'exit 3')).toMatchObject({ code: 3 });
    expect(await berth('run', '--rm', 'busybox', 'nosuch')).toMatchObject({ code: 127 });
    expect((await berth('ps', '-a', '-q')).stdout).toBe('');

    const name = 'berth-e2e-x';
    made.push(name);
    const cidfile = `${d.dir}/cid`;
    const detached = await berth('run', '-d', '--cidfile', cidfile, '--name', name, 'busybox', 'sh', '-c', 'echo a; sleep 30');
    expect(detached.code).toBe(0);
    expect(detached.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(cidfile, 'utf8')).toBe(detached.stdout.trim());
    const id = detached.stdout.slice(0, 12);

    const ps = await berth('ps');
    const [header, row, ...rest] = ps.stdout.split('\n');
    // CREATED and STATUS may be wider than 20 (`Less than a second ago`): later columns move along.
    expect(header).toMatch(/^CONTAINER ID {8}IMAGE {15}COMMAND {16}CREATED {13,}STATUS {14,}PORTS {15}NAMES {15}$/);
    expect(row).toMatch(new RegExp(`^${id} {8}busybox {13}"sh -c 'echo a; slee {3}.+ ago {3,}Up .+ {3,}${name} +$`));
    expect(rest).toEqual(['']);

    // The log line is written by the container's monitor as the process prints it.
    let logs: Result | undefined;
    for (let i = 0; i < 50 && logs?.stdout !== 'a\n'; i++) {
      logs = await berth('logs', name);
      if (logs.stdout !== 'a\n') await new Promise((r) => setTimeout(r, 100));
    }
    expect(logs).toEqual({ code: 0, stdout: 'a\n', stderr: '' });

    expect(await berth('stop', '-t', '1', name)).toEqual({ code: 0, stdout: `${name}\n`, stderr: '' });
    expect((await berth('ps', '-a')).stdout).toMatch(/Exited \(137\) .* ago/);
    expect(await berth('rm', name)).toEqual({ code: 0, stdout: `${name}\n`, stderr: '' });
    made.pop();

    const three = await berth('run', 'busybox', 'sh', '-c', 'exit 3');
    expect(three.code).toBe(3);
    const exited = (await berth('ps', '-a', '-q', '--no-trunc')).stdout.trim();
    made.push(exited);
    expect(exited).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exits 127 for a missing command and 125 for an unknown image', async () => {
    const missing = await berth('run', '--name', 'berth-e2e-nocmd', 'busybox', 'nosuchcmd');
    made.push('berth-e2e-nocmd');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('nosuchcmd');

    const noImage = await berth('run', 'nosuchimage');
    expect(noImage.code).toBe(125);
    // The pull that follows fails: on Docker Hub (pull access denied), or reaching it (no network).
    expect(noImage.stderr).toMatch(/^Unable to find image 'nosuchimage:latest' locally\nError response from daemon: /);
  });

  it('fails the start in the network of a missing container, without leaving the attached client hanging', async () => {
    const docker = await d.docker('run', '--name', 'berth-e2e-netof', '--net', 'container:berth-e2e-nosuch', 'busybox', 'true');
    made.push('berth-e2e-netof');
    expect(docker.code).toBe(125);
    expect(docker.stderr).toContain('No such container: berth-e2e-nosuch');
    // --rm: the daemon removes the container whose start failed, and the CLI waits for that.
    const before = (await berth('ps', '-a', '-q')).stdout;
    const removed = await berth('run', '--rm', '--net', 'container:berth-e2e-nosuch', 'busybox', 'true');
    expect(removed.code).toBe(125);
    expect(removed.stderr).toBe('Error response from daemon: No such container: berth-e2e-nosuch\n');
    expect((await berth('ps', '-a', '-q')).stdout).toBe(before);
  });

  it('joins the IPC and PID namespaces of a running container, and refuses a stopped one', async () => {
    const donor = 'berth-e2e-donor';
    made.push(donor);
    expect((await berth('run', '-d', '--name', donor, 'busybox', 'sleep', '60')).code).toBe(0);
    const nsOf = async (args: string[], path: string): Promise<string> => (await berth('run', '--rm', ...args, 'busybox', 'readlink', path)).stdout;
    const donorIpc = (await berth('exec', donor, 'readlink', '/proc/1/ns/ipc')).stdout;
    expect(await nsOf(['--ipc', `container:${donor}`], '/proc/self/ns/ipc')).toBe(donorIpc);
    expect(await nsOf([], '/proc/self/ns/ipc')).not.toBe(donorIpc);
    // In the donor's PID namespace its sleep is pid 1.
    expect((await berth('run', '--rm', '--pid', `container:${donor}`, 'busybox', 'cat', '/proc/1/cmdline')).stdout).toBe('sleep\x0060\x00');

    expect((await berth('stop', '-t', '1', donor)).code).toBe(0);
    const id = (await berth('inspect', '-f', '{{.Id}}', donor)).stdout.trim();
    const refused = await d.docker('run', '--rm', '--pid', `container:${donor}`, 'busybox', 'true');
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain(`cannot join PID of a non running container: ${id}`);
  });

  it('tags, inspects, renames, pauses, waits for and removes with the book formats', async () => {
    expect(await berth('tag', 'busybox', 'localhost:5000/bb:v1')).toEqual({ code: 0, stdout: '', stderr: '' });
    const img = await berth('inspect', '--type', 'image', '-f', '{{.Id}}', 'localhost:5000/bb:v1');
    expect(img.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    // 1.7 prints the ID once per tag of a listed image.
    const ids = (await berth('images', '-q', '--no-trunc', 'localhost:5000/bb')).stdout.trim().split('\n');
    expect(new Set(ids)).toEqual(new Set([img.stdout.trim()]));

    const name = 'berth-e2e-p';
    made.push(name);
    const created = await berth('create', '--name', name, '-e', 'A=1', 'busybox', 'sleep', '30');
    expect(created.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const inspect = await berth('inspect', name);
    expect(inspect.stdout).toMatch(new RegExp(`^\\[\\n\\{\\n {4}"Id": "${created.stdout.trim()}",\\n`));
    expect(inspect.stdout.endsWith('\n}\n]\n')).toBe(true);
    expect((await berth('inspect', '-f', '{{.Config.Env}} {{.HostConfig.RestartPolicy.Name}}', name)).stdout).toMatch(/^\[.*A=1.*\] no\n$/);
    expect(await berth('inspect', 'berth-e2e-none')).toEqual({ code: 1, stdout: '[]\n', stderr: 'Error: No such image or container: berth-e2e-none\n' });
    expect((await berth('inspect', '-f', '{{.Id', name)).code).toBe(64);
    const execError = await berth('inspect', '-f', '{{.Name}} {{index .Args 9}}', name);
    expect(execError).toMatchObject({ code: 1, stdout: `/${name} ` });
    expect(execError.stderr).toMatch(/error calling index: .*\n$/);

    const renamed = 'berth-e2e-q';
    expect(await berth('rename', name, renamed)).toEqual({ code: 0, stdout: '', stderr: '' });
    made[made.length - 1] = renamed;
    expect(await berth('start', renamed)).toEqual({ code: 0, stdout: `${renamed}\n`, stderr: '' });
    expect(await berth('pause', renamed)).toEqual({ code: 0, stdout: `${renamed}\n`, stderr: '' });
    expect((await berth('ps', '--format', '{{.Names}} {{.Status}}')).stdout).toMatch(new RegExp(`^${renamed} Up .+ \\(Paused\\)\\n$`));
    expect(await berth('unpause', renamed)).toEqual({ code: 0, stdout: `${renamed}\n`, stderr: '' });
    const top = await berth('top', renamed);
    expect(top.stdout).toMatch(/^UID {17}PID {17}PPID {16}C {19}STIME {15}TTY {17}TIME {16}CMD\n/);
    expect(await berth('kill', '-s', 'KILL', renamed)).toEqual({ code: 0, stdout: `${renamed}\n`, stderr: '' });
    expect(await berth('wait', renamed)).toEqual({ code: 0, stdout: '137\n', stderr: '' });

    const failed = await berth('stop', renamed, 'berth-e2e-none');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(`${renamed}\n`);
    expect(failed.stderr).toMatch(/^Error response from daemon: .*berth-e2e-none.*\nError: failed to stop containers: \[berth-e2e-none\]\n$/);

    expect(await berth('rm', renamed)).toEqual({ code: 0, stdout: `${renamed}\n`, stderr: '' });
    made.pop();
    expect(await berth('rmi', 'localhost:5000/bb:v1')).toEqual({ code: 0, stdout: 'Untagged: localhost:5000/bb:v1\n', stderr: '' });
  });

  it('pipes stdin with run -i and prints events and info', async () => {
    // Event times have second resolution: start in a fresh second so earlier tests' events stay out.
    await new Promise((r) => setTimeout(r, 1010 - (Date.now() % 1000)));
    const since = Math.floor(Date.now() / 1000);
    const piped = await new Promise<Result>((resolve) => {
      const child = execFile(process.execPath, [BERTH, '-H', d.host, 'run', '-i', '--rm', 'busybox', 'sh', '-c', 'read l; echo "got:$l"'], (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
      child.stdin?.end('line\n');
    });
    expect(piped).toEqual({ code: 0, stdout: 'got:line\n', stderr: '' });

    const until = Math.floor(Date.now() / 1000) + 1;
    const events = await berth('events', '--since', String(since), '--until', String(until), '-f', 'event=start');
    expect(events.stdout).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000000(Z|[+-]\d{2}:\d{2}) [0-9a-f]{12}: \(from busybox\) start\n$/);

    const info = await berth('info');
    expect(info.stdout).toMatch(/^Containers: \d+\nImages: \d+\nStorage Driver: \S+\n/);
    expect(info.stdout).toMatch(/\nCPUs: \d+\nTotal Memory: [\d.]+ [KMGT]iB\n/);
  });

  // util-linux's script(1) gives berth a terminal, as a person at a shell would.
  it.skipIf(!existsSync('/usr/bin/script'))('runs an interactive shell with -it on a terminal and exits with its code', async () => {
    const name = 'berth-e2e-tty';
    made.push(name);
    const command = [process.execPath, BERTH, '-H', d.host, 'run', '-it', '--name', name, 'busybox', 'sh'].join(' ');
    const r = await new Promise<Result>((resolve) => {
      const child = execFile('/usr/bin/script', ['-qec', command, '/dev/null'], { timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
      // Typed once the shell is up: a terminal delivers keys as they come.
      setTimeout(() => child.stdin?.write('echo $((6*7)); tty; exit 9\r'), 1500);
    });
    expect(r.code).toBe(9);
    expect(r.stdout).toMatch(/\r\n42\r\r?\n\/dev\/console\r\r?\n/);
    expect((await berth('inspect', '-f', '{{.Config.Tty}} {{.State.ExitCode}}', name)).stdout).toBe('true 9\n');
  });

  it('attaches to a running container and follows its log until it exits', async () => {
    const name = 'berth-e2e-att';
    made.push(name);
    const started = await berth('run', '-d', '--name', name, 'busybox', 'sh', '-c', 'echo early; sleep 2; echo late; exit 4');
    expect(started.code).toBe(0);
    const [attached, followed] = await Promise.all([berth('attach', name), berth('logs', '-f', name)]);
    expect(attached).toEqual({ code: 4, stdout: 'late\n', stderr: '' });
    expect(followed).toEqual({ code: 0, stdout: 'early\nlate\n', stderr: '' });
    expect(await berth('attach', name)).toEqual({ code: 1, stdout: '', stderr: 'You cannot attach to a stopped container, start it first\n' });
    expect((await berth('logs', '--tail', '1', '-t', name)).stdout).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z late\n$/);
  });

  it('proxies the signals it receives to the container (--sig-proxy)', async () => {
    const name = 'berth-e2e-sig';
    made.push(name);
    const script = 'trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.1; done';
    const child = spawn(process.execPath, [BERTH, '-H', d.host, 'run', '--name', name, 'busybox', 'sh', '-c', script]);
    try {
      let stdout = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('ready')) resolve();
        }),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(7);
      expect(stdout).toBe('ready\ngot TERM\n');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
