// The monitor keeps a container running, logged and accounted for when the engine that started it
// dies (kill -9), and a new engine takes it back from the state dir.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Container } from './container.js';
import { useTestEnv } from './test-support/env.js';

const testEnv = useTestEnv();

const engineChild = join(fileURLToPath(new URL('.', import.meta.url)), 'test-support', 'engine-child.mjs');

it('loses no log line and no exit code when the engine is killed with SIGKILL', async () => {
  const log = join(testEnv().root, 'survivor-json.log');
  const options = testEnv().options('survivor', {
    args: ['sh', '-c', 'i=0; while [ $i -lt 15 ]; do i=$((i+1)); echo line $i; sleep 0.2; done; exit 3'],
    log: { path: log },
  });
  const engine = spawn(process.execPath, [engineChild, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const started = await new Promise<string>((resolve, reject) => {
      engine.stdout.on('data', (d: Buffer) => resolve(d.toString()));
      engine.on('exit', (code) => reject(new Error(`engine exited with ${code}`)));
    });
    expect(started).toMatch(/^started \d+\n$/);
    await new Promise((r) => setTimeout(r, 700));
  } finally {
    engine.kill('SIGKILL');
  }
  await new Promise((r) => engine.once('exit', r));

  // a new engine takes the container back
  const again = testEnv().adopt(Container.load(testEnv().stateDir('survivor')));
  expect(again.running()).toBe(true);
  expect(() => process.kill(again.pid, 0)).not.toThrow();
  const status = await again.wait();
  expect(status).toMatchObject({ exitCode: 3, signal: 0, oomKilled: false });
  expect(Container.load(testEnv().stateDir('survivor')).exitStatus()).toEqual(status);
  const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { log: string }).log);
  expect(lines).toEqual(Array.from({ length: 15 }, (_, i) => `line ${i + 1}\n`));
}, 30_000); // the container alone runs 3 s: the default 5 s is too tight on a loaded machine

it('serves a state dir deeper than a unix socket path allows', async () => {
  // 64-hex IDs under a test or custom exec root easily pass sun_path's 108 bytes.
  const id = `deep${'0123456789abcdef'.repeat(6)}`;
  const options = testEnv().options(id, { args: ['sh', '-c', 'echo deep; exit 4'] });
  expect(Buffer.byteLength(join(options.stateDir, 'monitor.sock'))).toBeGreaterThan(108);
  const c = testEnv().adopt(await Container.create(options));
  const out: Buffer[] = [];
  const attached = await c.attach({ stdout: { write: (d: Buffer) => out.push(d) } as never });
  await c.start();
  expect(await c.wait()).toMatchObject({ exitCode: 4 });
  await attached.done;
  expect(Buffer.concat(out).toString()).toBe('deep\n');
});
