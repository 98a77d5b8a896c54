// Opt-in (BERTH_TEST_DOCKER=1): a real Docker engine (Debian's docker.io, on its own data root,
// exec root and socket, no bridge or iptables) and berth exchange images through docker-registry.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '@berth/registry/test-support';
import { Engine } from '../engine/engine.js';

const enabled = process.env['BERTH_TEST_DOCKER'] === '1' && existsSync('/usr/sbin/dockerd');
const fixture = (): string => execFileSync('node', [join(import.meta.dirname, '../../../../tools/fixtures/busybox.mjs')], { encoding: 'utf8' }).trim();

describe.skipIf(!enabled)('with a real Docker engine', () => {
  let dir: string;
  let dockerd: ChildProcess;
  let registry: RunningRegistry;
  let engine: Engine;
  const docker = (...args: string[]): string => execFileSync('docker', ['-H', `unix://${dir}/docker.sock`, ...args], { encoding: 'utf8', stdio: 'pipe' });

  beforeAll(async () => {
    dir = mkdtempSync('/tmp/bdk-');
    registry = await startRegistry();
    dockerd = spawn(
      '/usr/sbin/dockerd',
      ['--data-root', `${dir}/data`, '--exec-root', `${dir}/exec`, '--pidfile', `${dir}/docker.pid`, '-H', `unix://${dir}/docker.sock`, '--iptables=false', '--ip-forward=false', '--bridge=none', '--storage-driver=vfs'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 150; i++) {
      try {
        docker('version');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    engine = Engine.open({ root: join(dir, 'berth'), runDir: join(dir, 'br'), cgroupParent: `berth-test-${process.pid}-docker` });
  }, 90_000);

  afterAll(async () => {
    engine?.close();
    if (dockerd?.pid) {
      dockerd.kill('SIGTERM');
      await new Promise((r) => dockerd.once('exit', r));
    }
    await registry?.stop();
    const left = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((p) => p.startsWith(dir));
    for (const m of left.reverse()) execFileSync('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('an image pushed by Docker pulls into berth with the same ID', async () => {
    const id = docker('import', fixture(), `${registry.host}/fromdocker/box:1`).trim();
    docker('push', `${registry.host}/fromdocker/box:1`);
    expect(await engine.distribution.pull(`${registry.host}/fromdocker/box:1`)).toBe(id);
  }, 120_000);

  it('an image pushed by berth pulls into Docker with the same ID', async () => {
    const id = await engine.images.import(createReadStream(fixture()), { repo: `${registry.host}/fromberth/box`, tag: '1' });
    await engine.distribution.push(`${registry.host}/fromberth/box:1`);
    docker('pull', `${registry.host}/fromberth/box:1`);
    expect(docker('image', 'inspect', '-f', '{{.Id}}', `${registry.host}/fromberth/box:1`).trim()).toBe(id);
    expect(docker('image', 'inspect', '-f', '{{.RepoDigests}}', `${registry.host}/fromberth/box:1`)).toContain(`${registry.host}/fromberth/box@sha256:`);
  }, 120_000);
});
