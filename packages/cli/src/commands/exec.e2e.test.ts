// End to end, as root: exec into containers of a real `berth daemon`, with the docker CLI (v28)
// and with berth exec: plain, -i with piped stdin, -it on a terminal (script(1)), -d, -u/-e/-w,
// exit codes (the command's, 126/127), and Docker's refusals.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BERTH, canRunE2E, DOCKER, useTestDaemon, type Result, type TestDaemon } from '../test-support/daemon.js';

let d: TestDaemon;
let box: string;

/** Runs `argv` on a terminal made by script(1), typing `keys` once the shell's prompt shows. */
function onTerminal(argv: string[], keys: string, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise<Result>((resolve) => {
    let typed = false;
    const child = execFile('/usr/bin/script', ['-qec', argv.join(' '), '/dev/null'], { timeout: 30_000, env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
    // Keys typed before the shell sets up its terminal are echoed and dropped, as with any shell.
    child.stdout?.on('data', (c: Buffer) => {
      if (typed || !c.toString().includes('# ')) return;
      typed = true;
      child.stdin?.write(keys);
    });
  });
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!canRunE2E)('exec against berth daemon', { timeout: 90_000 }, () => {
  const daemon = useTestDaemon();
  beforeAll(async () => {
    d = daemon();
    const r = await d.docker('run', '-d', '--name', 'ex', '-e', 'FROM_RUN=1', 'busybox', 'sleep', '1000');
    expect(r.code, r.stderr).toBe(0);
    box = r.stdout.trim();
  });

  for (const client of ['docker', 'berth'] as const) {
    const run = (...args: string[]): Promise<Result> => (client === 'docker' ? d.docker(...args) : d.berth(...args));
    const runWith = (input: string, ...args: string[]): Promise<Result> => (client === 'docker' ? d.dockerWith({ input }, ...args) : d.berthWith({ input }, ...args));

    it(`${client} exec: output on its streams, the command's exit code, -u -e -w`, async () => {
      expect(await run('exec', 'ex', 'sh', '-c', 'echo out; echo err >&2; exit 3')).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
      expect(await run('exec', '-u', 'nobody', '-e', 'A=1', '-w', '/tmp', 'ex', 'sh', '-c', 'id -u; echo $A $FROM_RUN; pwd')).toEqual({
        code: 0,
        stdout: '65534\n1 1\n/tmp\n',
        stderr: '',
      });
      const missing = await run('exec', 'ex', 'nosuch');
      expect(missing.code).toBe(127);
      expect(missing.stdout).toContain('exec: "nosuch": executable file not found in $PATH');
      expect((await run('exec', 'ex', '/etc/passwd')).code).toBe(126);
    });

    it(`${client} exec -i pipes stdin to the command until its end`, async () => {
      expect(await runWith('one\ntwo\n', 'exec', '-i', 'ex', 'sh', '-c', 'cat; echo end')).toEqual({ code: 0, stdout: 'one\ntwo\nend\n', stderr: '' });
    });

    it(`${client} exec -d runs in the background and prints nothing`, async () => {
      const file = `/tmp/detached-${client}`;
      expect(await run('exec', '-d', 'ex', 'sh', '-c', `sleep 0.2; echo done > ${file}`)).toEqual({ code: 0, stdout: '', stderr: '' });
      const r = await until(
        () => run('exec', 'ex', 'cat', file),
        (v) => v.code === 0,
      );
      expect(r).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    });

    it.skipIf(!existsSync('/usr/bin/script'))(`${client} exec -it runs a shell on a terminal`, async () => {
      const argv = client === 'docker' ? [DOCKER, 'exec', '-it', 'ex', 'sh'] : [process.execPath, BERTH, '-H', d.host, 'exec', '-it', 'ex', 'sh'];
      const r = await onTerminal(argv, 'echo $((6*7)) $TERM; tty; exit 5\r', d.dockerEnv());
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(/\r\n42 xterm\r\n\/dev\/pts\/\d+\r\n/);
    });
  }

  it('logs exec_create, exec_start and exec_die events', async () => {
    // Event times have second resolution: start in a fresh second so earlier tests' events stay out.
    await new Promise((r) => setTimeout(r, 1010 - (Date.now() % 1000)));
    const since = Math.floor(Date.now() / 1000);
    expect((await d.docker('exec', 'ex', 'sh', '-c', 'exit 4')).code).toBe(4);
    const until = Math.floor(Date.now() / 1000) + 1;
    const filters = ['exec_create', 'exec_start', 'exec_die'].flatMap((e) => ['--filter', `event=${e}`]);
    const r = await d.docker('events', '--since', String(since), '--until', String(until), ...filters, '--format', '{{.Action}} {{.Actor.Attributes.name}}');
    expect(r.stdout).toBe('exec_create: sh -c exit 4 ex\nexec_start: sh -c exit 4 ex\nexec_die ex\n');
  });

  it('lists the exec instances in inspect and refuses execs in stopped and paused containers', async () => {
    const ids = await d.docker('inspect', '-f', '{{len .ExecIDs}}', 'ex');
    expect(Number(ids.stdout.trim())).toBeGreaterThan(5);
    await d.docker('pause', 'ex');
    try {
      expect(await d.docker('exec', 'ex', 'true')).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error response from daemon: Container ${box} is paused, unpause the container before exec\n`,
      });
    } finally {
      await d.docker('unpause', 'ex');
    }
    const stopped = (await d.docker('create', 'busybox', 'true')).stdout.trim();
    expect(await d.docker('exec', stopped, 'true')).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: Container ${stopped} is not running\n` });
    expect(await d.berth('exec', stopped, 'true')).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: Container ${stopped} is not running\n` });
  });
});
