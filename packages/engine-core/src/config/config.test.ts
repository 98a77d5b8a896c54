import type { ContainerConfig, HostConfig } from '@berth/api-types';
import { ContainerCreateRequest, HostConfig as HostConfigSchema } from '@berth/api-types';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SysInfo } from '../resources/index.js';
import { TEST_SYSINFO } from '../test-support/sysinfo.js';
import {
  containerEnv,
  defaultHostname,
  entrypointAndArgs,
  mergeConfig,
  parseRestartPolicy,
  toContainerConfig,
  toHostConfig,
  verifyContainerSettings,
  withHome,
  type MergeableConfig,
} from './index.js';

const blank: MergeableConfig = {
  User: '',
  ExposedPorts: undefined,
  Env: null,
  Cmd: null,
  Entrypoint: null,
  WorkingDir: '',
  Volumes: null,
};

const image: MergeableConfig = {
  User: 'nginx',
  ExposedPorts: { '80/tcp': {}, '443/tcp': {} },
  Env: ['PATH=/usr/bin', 'NGINX_VERSION=1.9', 'A=image'],
  Cmd: ['nginx', '-g', 'daemon off;'],
  Entrypoint: ['/docker-entrypoint.sh'],
  WorkingDir: '/srv',
  Volumes: { '/var/cache/nginx': {} },
};

describe('mergeConfig', () => {
  it('takes everything from the image when the user sets nothing', () => {
    expect(mergeConfig(blank, image)).toEqual(image);
  });

  it("keeps the user's values and unions ports, env by key and volumes", () => {
    const user: MergeableConfig = {
      User: 'root',
      ExposedPorts: { '8080/tcp': {} },
      Env: ['A=user', 'B=2'],
      Cmd: null,
      Entrypoint: null,
      WorkingDir: '/w',
      Volumes: { '/data': {} },
    };
    const merged = mergeConfig(user, image);
    expect(merged.User).toBe('root');
    expect(Object.keys(merged.ExposedPorts ?? {}).sort()).toEqual(['443/tcp', '80/tcp', '8080/tcp']);
    expect(merged.Env).toEqual(['A=user', 'B=2', 'PATH=/usr/bin', 'NGINX_VERSION=1.9']);
    expect(merged.WorkingDir).toBe('/w');
    expect(Object.keys(merged.Volumes ?? {}).sort()).toEqual(['/data', '/var/cache/nginx']);
    expect(user.Env).toEqual(['A=user', 'B=2']);
  });

  it('a user Cmd replaces the image Cmd but keeps its entrypoint', () => {
    const merged = mergeConfig({ ...blank, Cmd: ['-v'] }, image);
    expect(merged.Cmd).toEqual(['-v']);
    expect(merged.Entrypoint).toEqual(['/docker-entrypoint.sh']);
  });

  it('a user entrypoint discards both image Cmd and Entrypoint', () => {
    const merged = mergeConfig({ ...blank, Entrypoint: ['/bin/sh'] }, image);
    expect(merged.Entrypoint).toEqual(['/bin/sh']);
    expect(merged.Cmd).toBeNull();
  });

  it('an empty entrypoint drops the image entrypoint but not its Cmd; null inherits', () => {
    const empty = mergeConfig({ ...blank, Entrypoint: [] }, image);
    expect(empty.Entrypoint).toEqual([]);
    expect(empty.Cmd).toEqual(image.Cmd);
    const nil = mergeConfig({ ...blank, Entrypoint: null }, image);
    expect(nil.Entrypoint).toEqual(image.Entrypoint);
  });
});

describe('process', () => {
  it('joins entrypoint and cmd, and refuses neither', () => {
    expect(entrypointAndArgs(['/ep', '-x'], ['a', 'b'])).toEqual({ path: '/ep', args: ['-x', 'a', 'b'] });
    expect(entrypointAndArgs(null, ['echo', 'hi'])).toEqual({ path: 'echo', args: ['hi'] });
    expect(entrypointAndArgs([], ['ls'])).toEqual({ path: 'ls', args: [] });
    expect(() => entrypointAndArgs([], null)).toThrow('No command specified');
    expect(() => entrypointAndArgs(null, [])).toThrow('No command specified');
  });

  it('hostname is the short ID', () => {
    expect(defaultHostname('0123456789abcdef'.repeat(4))).toBe('0123456789ab');
  });

  it('builds the default environment, the container overriding in place', () => {
    expect(containerEnv({ hostname: 'abc', tty: false, env: [] })).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=abc',
    ]);
    expect(
      containerEnv({ hostname: 'abc', tty: true, env: ['FOO=1', 'PATH=/bin'], linkEnv: ['DB_PORT=tcp://x:5432'] }),
    ).toEqual(['PATH=/bin', 'HOSTNAME=abc', 'TERM=xterm', 'DB_PORT=tcp://x:5432', 'FOO=1']);
    expect(withHome(['A=1'], '/root')).toEqual(['A=1', 'HOME=/root']);
    expect(withHome(['HOME=/x'], '/root')).toEqual(['HOME=/x']);
    expect(withHome([], '')).toEqual(['HOME=/']);
  });
});

const defaults = { logDriver: 'json-file', cgroupnsMode: 'host' as const, apiVersion: '1.44' };
const kernel: SysInfo = { ...TEST_SYSINFO, blkioWeight: true, blkioWeightDevice: true };

function host(h: Record<string, unknown>, apiVersion = '1.44', top: Record<string, unknown> = {}): HostConfig {
  return toHostConfig(ContainerCreateRequest.parse({ ...top, HostConfig: h }), { ...defaults, apiVersion });
}

function config(c: Record<string, unknown> = {}): ContainerConfig {
  return toContainerConfig(ContainerCreateRequest.parse(c));
}

describe('toContainerConfig / toHostConfig', () => {
  it('fills Docker defaults into a valid inspect HostConfig', () => {
    const h = host({});
    expect(HostConfigSchema.parse(h)).toEqual(h);
    expect(h.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
    expect(h.LogConfig).toEqual({ Type: 'json-file', Config: {} });
    expect(h.NetworkMode).toBe('default');
    expect(h.PortBindings).toEqual({});
    expect(h.Dns).toEqual([]);
    expect(h.MaskedPaths).toContain('/proc/kcore');
    expect(host({ Privileged: true }).MaskedPaths).toEqual([]);
  });

  it('takes legacy Config resource fields only before API 1.19', () => {
    const top = { Memory: 8 << 20, CpuShares: 512, Cpuset: '0' };
    expect(host({}, '1.18', top).Memory).toBe(8 << 20);
    expect(host({}, '1.18', top).CpusetCpus).toBe('0');
    expect(host({}, '1.19', top).Memory).toBe(0);
  });

  it('normalises Cmd/Entrypoint strings and the CLI entrypoint reset', () => {
    expect(config({ Cmd: 'ls' }).Cmd).toEqual(['ls']);
    expect(config({ Entrypoint: [''] }).Entrypoint).toEqual([]);
    expect(config({ Entrypoint: null }).Entrypoint).toBeNull();
    expect(config({ ExposedPorts: { '80/tcp': {} } }).ExposedPorts).toEqual({ '80/tcp': {} });
  });
});

describe('restart policies', () => {
  it('parses the --restart flag', () => {
    expect(parseRestartPolicy('always')).toEqual({ Name: 'always', MaximumRetryCount: 0 });
    expect(parseRestartPolicy('on-failure:5')).toEqual({ Name: 'on-failure', MaximumRetryCount: 5 });
    expect(parseRestartPolicy('on-failure')).toEqual({ Name: 'on-failure', MaximumRetryCount: 0 });
    expect(parseRestartPolicy('')).toEqual({ Name: '', MaximumRetryCount: 0 });
  });

  it("rejects bad policies in Docker's words", () => {
    expect(() => parseRestartPolicy('sometimes')).toThrow(
      "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
    );
    expect(() => parseRestartPolicy('always:3')).toThrow(
      "invalid restart policy: maximum retry count can only be used with 'on-failure'",
    );
    expect(() => parseRestartPolicy('no:-1')).toThrow(
      "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative",
    );
    expect(() => parseRestartPolicy('on-failure:-2')).toThrow(
      'invalid restart policy: maximum retry count cannot be negative',
    );
    expect(() => parseRestartPolicy('on-failure:x')).toThrow(
      'invalid restart policy format: maximum retry count must be an integer',
    );
    expect(() => parseRestartPolicy(':3')).toThrow('invalid restart policy format: no policy provided before colon');
    expect(() => host({ RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } })).toThrow(
      "invalid restart policy: maximum retry count can only be used with 'on-failure'",
    );
  });
});

describe('verifyContainerSettings', () => {
  const verify = (h: Record<string, unknown>, k: Partial<SysInfo> = {}, c: Record<string, unknown> = {}) => {
    const hc = host(h);
    const warnings = verifyContainerSettings(config(c), hc, { ...kernel, ...k });
    return { hc, warnings };
  };

  it('accepts a plain config without warnings', () => {
    expect(verify({ Memory: 6 << 20, MemorySwap: 8 << 20 }).warnings).toEqual([]);
    // -m alone allows as much swap again
    expect(verify({ Memory: 8 << 20 }).hc.MemorySwap).toBe(16 << 20);
  });

  it("refuses what Docker refuses, with Docker's messages", () => {
    expect(() => verify({ Memory: (6 << 20) - 1 })).toThrow('Minimum memory limit allowed is 6MB');
    expect(() => verify({ Memory: 8 << 20, MemorySwap: 7 << 20 })).toThrow(
      'Minimum memoryswap limit should be larger than memory limit, see usage',
    );
    expect(() => verify({ MemorySwap: 8 << 20 })).toThrow(
      'You should always set the Memory limit when using Memoryswap limit, see usage',
    );
    expect(() => verify({ MemoryReservation: 1 << 20 })).toThrow('Minimum memory reservation allowed is 6MB');
    expect(() => verify({ Memory: 8 << 20, MemoryReservation: 16 << 20 })).toThrow(
      'Minimum memory limit can not be less than memory reservation limit, see usage',
    );
    expect(() => verify({ NanoCpus: 5e8, CpuQuota: 50000 })).toThrow('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
    expect(() => verify({ CpuPeriod: 500 })).toThrow(
      'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)',
    );
    expect(() => verify({ CpusetCpus: '7' })).toThrow('Requested CPUs are not available - requested 7, available: 0-1');
    expect(() => verify({ OomScoreAdj: 1001 })).toThrow('Invalid value 1001, range for oom score adj is [-1000, 1000]');
    expect(() => verify({ SecurityOpt: ['bogus'] })).toThrow('invalid --security-opt 1: "bogus"');
    expect(() => verify({ SecurityOpt: ['foo=bar'] })).toThrow('invalid --security-opt 2: "foo=bar"');
    expect(() => verify({ Sysctls: { 'kernel.hostname': 'x' } })).toThrow('sysctl "kernel.hostname" is not in a separate kernel namespace');
    expect(() => verify({ NetworkMode: 'host', Sysctls: { 'net.ipv4.ip_forward': '1' } })).toThrow(
      'sysctl "net.ipv4.ip_forward" is not allowed in the hosts network namespace',
    );
    expect(() => verify({ BlkioWeight: 5 })).toThrow('Range of blkio weight is from 10 to 1000');
    expect(() => verify({ PortBindings: { '80/xyz': null } })).toThrow('Invalid port specification: 80/xyz');
    expect(() => verify({ AutoRemove: true, RestartPolicy: { Name: 'always' } })).toThrow(
      "can't create 'AutoRemove' container with restart policy",
    );
    expect(() => verify({}, {}, { WorkingDir: 'rel' })).toThrow(
      "The working directory 'rel' is invalid. It needs to be an absolute path.",
    );
    expect(() => verify({ MemorySwappiness: 101 })).toThrow(
      'Invalid value: 101, valid memory swappiness range is 0-100',
    );
  });

  it('discards limits the kernel cannot enforce, with warnings', () => {
    const { hc, warnings } = verify(
      { Memory: 8 << 20, CpuPeriod: 100000, CpuQuota: 50000, BlkioWeight: 300, OomKillDisable: true, SecurityOpt: ['apparmor=x'] },
      { swapLimit: false, cpuCfs: false, blkioWeight: false, oomKillDisable: false },
    );
    expect(warnings).toEqual([
      'Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.',
      'Your kernel does not support OomKillDisable. OomKillDisable discarded.',
      'Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.',
      'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
      'AppArmor is not enabled on this host: apparmor profile discarded.',
    ]);
    expect(hc.MemorySwap).toBe(-1);
    expect(hc.CpuPeriod).toBe(0);
    expect(hc.BlkioWeight).toBe(0);
    expect(verify({ OomKillDisable: true }).warnings).toEqual([
      'OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.',
    ]);
    expect(verify({ Memory: 8 << 20 }, { memoryLimit: false }).hc.Memory).toBe(0);
  });
});

describe('the body docker CLI 28 sends for create', () => {
  const raw = JSON.parse(
    readFileSync(new URL('../../../api-types/src/schemas/fixtures/docker-cli-28-create.json', import.meta.url), 'utf8'),
  );
  const req = ContainerCreateRequest.parse(raw);

  it('becomes the config and host config Docker would store', () => {
    const c = toContainerConfig(req);
    expect(c.Entrypoint).toEqual([]);
    expect(c.Cmd).toEqual(['echo', 'hi']);
    expect(c.Volumes).toEqual({ '/data': {} });
    expect(c.Labels).toEqual({ tier: 'front' });
    const h = toHostConfig(req, defaults);
    expect(HostConfigSchema.parse(h)).toEqual(h);
    expect(h).toMatchObject({
      Memory: 64 << 20,
      MemorySwappiness: null,
      PidsLimit: null,
      ShmSize: 64 << 20,
      IpcMode: 'private',
      CgroupnsMode: 'host',
      LogConfig: { Type: 'json-file', Config: {} },
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
    });
    expect(verifyContainerSettings(c, h, kernel)).toEqual([]);
  });

  it('after the merge with an image, keeps the image Cmd only when the user gave none', () => {
    const merged = mergeConfig(toContainerConfig(req), image);
    expect(merged.Entrypoint).toEqual([]);
    expect(merged.Cmd).toEqual(['echo', 'hi']);
    expect(entrypointAndArgs(merged.Entrypoint, merged.Cmd)).toEqual({ path: 'echo', args: ['hi'] });
  });
});

describe("the book's v1.19 create example", () => {
  const body = {
    Hostname: '',
    AttachStdout: true,
    AttachStderr: true,
    Env: null,
    Cmd: ['date'],
    Entrypoint: '',
    Image: 'ubuntu',
    Labels: { 'com.example.vendor': 'Acme' },
    Volumes: { '/tmp': {} },
    MacAddress: '12:34:56:78:9a:bc',
    ExposedPorts: { '22/tcp': {} },
    HostConfig: {
      Binds: ['/tmp:/tmp'],
      Links: ['redis3:redis'],
      LxcConf: { 'lxc.utsname': 'Docker' },
      Memory: 0,
      MemorySwap: 0,
      CpuShares: 512,
      CpuPeriod: 100000,
      CpusetCpus: '0,1',
      BlkioWeight: 300,
      PortBindings: { '22/tcp': [{ HostPort: '11022' }] },
      Dns: ['8.8.8.8'],
      DnsSearch: [''],
      ExtraHosts: null,
      VolumesFrom: ['parent', 'other:ro'],
      CapAdd: ['NET_ADMIN'],
      RestartPolicy: { Name: '', MaximumRetryCount: 0 },
      NetworkMode: 'bridge',
      Ulimits: [{}],
      LogConfig: { Type: 'json-file', Config: {} },
      SecurityOpt: [''],
    },
  };

  it('is accepted and stored as Docker would', () => {
    const req = ContainerCreateRequest.parse(body);
    const c = toContainerConfig(req);
    // `"Entrypoint": ""` means no entrypoint: the command is `date`.
    expect(c.Entrypoint).toEqual([]);
    expect(entrypointAndArgs(c.Entrypoint, c.Cmd)).toEqual({ path: 'date', args: [] });
    expect(c.MacAddress).toBe('12:34:56:78:9a:bc');
    const h = toHostConfig(req, { ...defaults, apiVersion: '1.19' });
    expect(h.PortBindings).toEqual({ '22/tcp': [{ HostIp: '', HostPort: '11022' }] });
    expect(h.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 });
    expect(h.NetworkMode).toBe('bridge');
    expect(verifyContainerSettings(c, h, kernel)).toEqual([]);
  });
});
