import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlagSet } from './flags.js';
import { buildRunConfig, defineRunFlags, parsePortSpecs, parseRestartPolicy, RunConfigError } from './runconfig.js';
import type { ContainerCreateBody } from './runconfig.js';

const DOCKER = '/usr/local/bin/docker';
const FIXTURE = fileURLToPath(new URL('../../api-types/src/schemas/fixtures/docker-cli-28-create.json', import.meta.url));

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ContainerCreateBody {
  const fs = new FlagSet('create');
  const flags = defineRunFlags(fs);
  return buildRunConfig(flags, fs.parse(argv), env).body;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-runconfig-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the real docker CLI's `create` against a server on a temp socket that answers /_ping,
 * records the create body and fails it with 404 (and the pull that follows) so the CLI exits.
 */
async function dockerCreateBody(argv: string[]): Promise<Record<string, unknown>> {
  const socket = join(dir, 'rec.sock');
  let body: string | undefined;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      res.setHeader('Api-Version', '1.44');
      res.setHeader('Ostype', 'linux');
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.endsWith('/_ping')) {
        res.end('OK');
        return;
      }
      if (req.method === 'POST' && req.url?.includes('/containers/create')) body = text;
      res.statusCode = 404;
      res.end(JSON.stringify({ message: 'No such image: img:latest' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await new Promise<void>((resolve) => {
      execFile(DOCKER, ['-H', `unix://${socket}`, 'create', ...argv], { env: { PATH: process.env['PATH'], HOME: dir } }, () => resolve());
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (body === undefined) throw new Error(`docker create ${argv.join(' ')} sent no create request`);
  return JSON.parse(body) as Record<string, unknown>;
}

/** null, [] and {} all mean "none" (docker 28 and 1.7 differ in which one they send). */
function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v;
  if (typeof v === 'object' && Object.keys(v).length === 0) return null;
  return v;
}

/**
 * Fields where docker 28 and 1.7 disagree by design: NetworkMode (1.7 sends "bridge", docker
 * ≥1.13 "default") and MacAddress (API 1.44 moved it to NetworkingConfig).
 */
const NOT_COMPARED = new Set(['NetworkMode', 'MacAddress', 'HostConfig']);

function compareWithDocker(mine: ContainerCreateBody, docker: Record<string, unknown>): void {
  const dockerHost = docker['HostConfig'] as Record<string, unknown>;
  for (const [k, v] of Object.entries(mine)) {
    if (!NOT_COMPARED.has(k)) expect({ [k]: normalize(docker[k]) }).toEqual({ [k]: normalize(v) });
  }
  for (const [k, v] of Object.entries(mine.HostConfig)) {
    // docker ≥20.10 writes capabilities with their CAP_ prefix; 1.7 sent them as typed.
    const theirs = k === 'CapAdd' || k === 'CapDrop' ? (dockerHost[k] as string[] | null)?.map((c) => c.replace(/^CAP_/, '')) : dockerHost[k];
    if (!NOT_COMPARED.has(k)) expect({ [k]: normalize(theirs) }).toEqual({ [k]: normalize(v) });
  }
}

describe('runconfig against docker-cli-28-create.json (recorded from the docker CLI)', () => {
  it('builds the body recorded in api-types for the same command line', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    const argv = ['--name', 'web', '-p', '8080:80', '-e', 'A=1', '--restart', 'on-failure:3', '-m', '64m', '-v', '/data', '-t', '-i', '--label', 'tier=front', 'busybox', 'echo', 'hi'];
    // `--entrypoint ""` is left out: docker ≥1.13 sends [""] to reset it, 1.7 ignored an empty value.
    compareWithDocker(parse(argv), { ...fixture, Entrypoint: null });
  });
});

describe.skipIf(!existsSync(DOCKER))('runconfig against the docker CLI', () => {
  const cases: Array<(d: string) => string[]> = [
    () => ['--name', 'web', '-p', '8080:80', '-e', 'A=1', '--restart', 'on-failure:3', '-m', '64m', '-v', '/data', '-t', '-i', '--label', 'tier=front', 'img', 'echo', 'hi'],
    () => ['-a', 'stdin', '-a', 'stdout', '-i', '-w', '/tmp', '-u', '1000:1000', '--entrypoint', '/bin/sh', '-P', '--expose', '7000-7001', '-p', '127.0.0.1::53/udp', '-p', '9000-9001:90-91', 'img'],
    (d) => {
      writeFileSync(join(d, 'env'), '# comment\nX=1\n\n  Y=two words\n');
      writeFileSync(join(d, 'labels'), 'a=b\nc=\n');
      return [
        '--security-opt', 'no-new-privileges', '--add-host', 'a:1.2.3.4', '-h', 'host1', '--ulimit', 'nofile=10:20',
        '--device', '/dev/null:/dev/xnull:r', '-c', '5', '--link', 'foo:bar', '--cpuset-cpus', '0', '--cpu-period', '100000',
        '--cpu-quota', '50000', '--memory-swap', '-1', '-m', '1g', '--oom-kill-disable', '--privileged', '--cap-add', 'NET_ADMIN',
        '--cap-drop', 'MKNOD', '--read-only', '--pid', 'host', '--ipc', 'host', '--uts', 'host', '--cgroup-parent', '/x',
        '--log-driver', 'json-file', '--log-opt', 'max-size=1m', '--dns', '8.8.8.8', '--dns-search', 'example.com',
        '--volumes-from', 'other', '-v', '/a:/b:ro', '--env-file', join(d, 'env'), '--label-file', join(d, 'labels'),
        '--restart', 'always', '-e', 'Z=3', 'img', 'sh', '-c', 'exit 3',
      ];
    },
    () => [
      '--memory-reservation', '32m', '--memory-swappiness', '10', '--oom-score-adj', '-500', '--cpus', '1.5', '--pids-limit', '50',
      '--shm-size', '128m', '--group-add', 'audio', '--group-add', '42', '--sysctl', 'net.ipv4.ip_forward=1', '--userns', 'host',
      '--device-read-bps', '/dev/vda:1mb', '--device-write-bps', '/dev/vda:2mb', '--device-read-iops', '/dev/vda:100',
      '--device-write-iops', '/dev/vda:200', '--security-opt', 'seccomp=unconfined', 'img',
    ],
  ];
  it.each(cases.map((c, i) => [i, c] as const))('flag set %i gives the body docker sends', async (_i, make) => {
    const argv = make(dir);
    compareWithDocker(parse(argv), await dockerCreateBody(argv));
  });
});

describe('runconfig', () => {
  it('defaults match docker 1.7', () => {
    const b = parse(['busybox']);
    expect(b).toMatchObject({
      Image: 'busybox',
      Cmd: null,
      Entrypoint: null,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      StdinOnce: false,
      HostConfig: { NetworkMode: 'bridge', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, Binds: null, Memory: 0, MemorySwap: 0 },
    });
  });

  it('splits the hostname into host and domain as 1.7 did', () => {
    expect(parse(['-h', 'web.example.com', 'img'])).toMatchObject({ Hostname: 'web', Domainname: 'example.com' });
  });

  it('takes a bare -e NAME from the environment only when it is set', () => {
    expect(parse(['-e', 'FOO', '-e', 'BAR', 'img'], { FOO: 'x' }).Env).toEqual(['FOO=x', 'BAR']);
  });

  it('reports docker messages for bad values', () => {
    const bad: Array<[string[], string]> = [
      [['-m', '12q', 'img'], "Invalid size: '12q'"],
      [['-p', '1:2:3:4', 'img'], 'Invalid port format: 1:2:3:4'],
      [['-p', 'x:80', 'img'], 'Invalid hostPort: x'],
      [['-p', '80/sctpx', 'img'], 'Invalid proto: sctpx'],
      [['--expose', '1:2', 'img'], 'Invalid port format for --expose: 1:2'],
      [['--expose', '90-80', 'img'], 'Invalid range format for --expose: 90-80, error: Invalid range specified for the Port: 90-80'],
      [['--expose', 'x/udp', 'img'], 'Invalid range format for --expose: x/udp, error: strconv.ParseUint: parsing "x": invalid syntax'],
      [['--restart', 'sometimes', 'img'], 'invalid restart policy sometimes'],
      [['--restart', 'always:3', 'img'], 'maximum restart count not valid with restart policy of "always"'],
      [['-a', 'stdfoo', 'img'], 'valid streams are STDIN, STDOUT and STDERR'],
      [['-v', 'rel', 'img'], 'rel is not an absolute path'],
      [['-v', '/a:/', 'img'], "Invalid bind mount: destination can't be '/'"],
      [['--dns', 'nope', 'img'], 'nope is not an ip address'],
      [['--add-host', 'nohost', 'img'], 'bad format for add-host: nohost'],
      [['--mac-address', '12:34', 'img'], '12:34 is not a valid mac address'],
      [['--ulimit', 'bogus=1', 'img'], 'invalid ulimit type: bogus'],
      [['--pid', 'bogus', 'img'], '--pid: invalid PID mode'],
      [['--net', 'host', '-h', 'x', 'img'], 'Conflicting options: -h and the network mode (--net)'],
      [['--log-driver', 'none', '--log-opt', 'a=b', 'img'], 'Invalid logging opts for driver none'],
    ];
    for (const [argv, message] of bad) {
      expect(() => parse(argv), argv.join(' ')).toThrow(new RunConfigError(message));
    }
  });

  it('parses port ranges into one binding per port', () => {
    expect(parsePortSpecs(['0.0.0.0:8000-8001:80-81/udp'])).toEqual({
      exposed: { '80/udp': {}, '81/udp': {} },
      bindings: { '80/udp': [{ HostIp: '0.0.0.0', HostPort: '8000' }], '81/udp': [{ HostIp: '0.0.0.0', HostPort: '8001' }] },
    });
    expect(() => parsePortSpecs(['8000-8002:80-81'])).toThrow('Invalid ranges specified for container and host Ports: 80-81 and 8000-8002');
  });

  it('parses restart policies', () => {
    expect(parseRestartPolicy('on-failure:50')).toEqual({ Name: 'on-failure', MaximumRetryCount: 50 });
    expect(parseRestartPolicy('on-failure')).toEqual({ Name: 'on-failure', MaximumRetryCount: 0 });
  });
});
