// End to end, as root: a `berth daemon` killed with SIGKILL and started again on its root keeps
// the containers that ran, records the exits that happened while it was down, and applies their
// restart policies.
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, useTestDaemon, type TestDaemon } from '../test-support/daemon.js';

let d: TestDaemon;
const docker = (...args: string[]) => d.docker(...args);

async function until(probe: () => Promise<string>, want: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let v = await probe();
  while (v !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    v = await probe();
  }
  return v;
}

const pidOf = async (name: string): Promise<number> => Number((await docker('inspect', '-f', '{{.State.Pid}}', name)).stdout.trim());

describe.skipIf(!canRunE2E)('a daemon killed with -9', { timeout: 120_000 }, () => {
  const daemon = useTestDaemon();
  beforeAll(() => {
    d = daemon();
  });

  it('keeps its containers running and applies restart policies to those that exited meanwhile', async () => {
    for (const args of [
      ['--name', 'keeper', 'busybox', 'sh', '-c', 'echo up; exec sleep 1000'],
      ['--name', 'always', '--restart', 'always', 'busybox', 'sh', '-c', 'echo run; exec sleep 1000'],
      ['--name', 'onfail', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'echo run; exec sleep 1000'],
      ['--name', 'done', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; echo run; sleep 1000 & wait'],
      ['--name', 'plain', 'busybox', 'sh', '-c', 'exec sleep 1000'],
    ]) {
      const r = await docker('run', '-d', ...args);
      expect(r.code, r.stderr).toBe(0);
    }
    const keeperPid = await pidOf('keeper');
    const pids = { always: await pidOf('always'), onfail: await pidOf('onfail'), done: await pidOf('done'), plain: await pidOf('plain') };

    await d.stop('SIGKILL');
    // While it is down: three exit (two killed, one by its own choice with 0), one keeps running.
    process.kill(pids.always, 'SIGKILL');
    process.kill(pids.onfail, 'SIGKILL');
    process.kill(pids.plain, 'SIGKILL');
    process.kill(pids.done, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(() => process.kill(keeperPid, 0)).not.toThrow();

    await d.restart();
    const state = (name: string) => async () => (await docker('inspect', '-f', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}', name)).stdout.trim();
    expect(await state('keeper')()).toBe('running 0 0');
    expect(await pidOf('keeper')).toBe(keeperPid);
    expect(await until(state('always'), 'running 1 0')).toBe('running 1 0');
    expect(await until(state('onfail'), 'running 1 0')).toBe('running 1 0');
    expect(await state('plain')()).toBe('exited 0 137');
    expect(await state('done')()).toBe('exited 0 0');
    expect((await docker('logs', 'always')).stdout).toBe('run\nrun\n');
    expect((await docker('logs', 'keeper')).stdout).toBe('up\n');
    expect(await pidOf('always')).not.toBe(pids.always);
    // The daemon follows what it took back: a stop now is seen and recorded.
    expect((await docker('stop', '-t', '1', 'keeper')).code).toBe(0);
    expect(await state('keeper')()).toBe('exited 0 137');
  });
});
