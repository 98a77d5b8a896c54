import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostConfig } from '@berth/api-types';
import { ContainerCreateRequest } from '@berth/api-types';
import type { ContainerStats } from '@berth/libcontainer';
import { toHostConfig } from '../config/index.js';
import { cgroupResources } from './cgroup.js';
import { majorMinor, mappedDevices } from './devices.js';
import { securityOptions } from './security.js';
import { statsFrames, statsJson, stringifyIntegers } from './stats.js';
import { TEST_SYSINFO } from '../test-support/sysinfo.js';
import { sysInfoWarnings } from './sysinfo.js';
import { updatedHostConfig } from './update.js';
import { containerUser } from './user.js';

const sys = TEST_SYSINFO;

const host = (h: Record<string, unknown>): HostConfig =>
  toHostConfig(ContainerCreateRequest.parse({ HostConfig: h }), { logDriver: 'json-file', cgroupnsMode: 'host', apiVersion: '1.44' });

function sample(totalUsage: number, extra: Partial<ContainerStats> = {}): ContainerStats {
  return {
    read: '2026-12-03T12:00:00.000Z',
    cpu: {
      totalUsage,
      perCpuUsage: [totalUsage],
      usageInKernelmode: 0,
      usageInUsermode: totalUsage,
      systemUsage: totalUsage * 10,
      throttling: { periods: 0, throttledPeriods: 0, throttledTime: 0 },
    },
    memory: { usage: 1000, maxUsage: 2000, limit: 9223372036854771712, failcnt: 0, cache: 0, stats: { rss: 5, cache: 0, hierarchical_memory_limit: 9223372036854771712 } },
    blkio: { ioServiceBytesRecursive: [{ major: 254, minor: 0, op: 'Read', value: 4096 }], ioServicedRecursive: [] },
    pids: { current: 2, limit: 0 },
    networks: {},
    ...extra,
  };
}

describe('cgroupResources', () => {
  it('maps --cpus onto a 100 ms CFS period and keeps the other limits', () => {
    expect(cgroupResources(host({ NanoCpus: 1.5e9, Memory: 64 << 20, MemorySwap: -1, PidsLimit: 20, CpuShares: 512 }))).toEqual({
      memory: 64 << 20,
      memorySwap: -1,
      cpuPeriod: 100000,
      cpuQuota: 150000,
      cpuShares: 512,
      pidsLimit: 20,
    });
    expect(cgroupResources(host({}))).toEqual({});
  });
});

describe('updatedHostConfig', () => {
  const current = host({ Memory: 64 << 20, MemorySwap: 128 << 20, CpuShares: 512, NanoCpus: 5e8 });

  it('merges the non-zero fields and leaves the rest', () => {
    const u = updatedHostConfig('abc', current, { Memory: 96 << 20, PidsLimit: 10, RestartPolicy: { Name: 'always' } }, sys);
    expect(u.hostConfig).toMatchObject({ Memory: 96 << 20, MemorySwap: 128 << 20, CpuShares: 512, PidsLimit: 10, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } });
    expect(u.resources).toMatchObject({ memory: 96 << 20, memorySwap: 128 << 20, pidsLimit: 10 });
    expect(current.Memory).toBe(64 << 20);
    const unlimited = updatedHostConfig('abc', u.hostConfig, { PidsLimit: -1 }, sys);
    expect(unlimited.hostConfig.PidsLimit).toBeNull();
    expect(unlimited.resources.pidsLimit).toBe(-1);
  });

  it("refuses conflicting updates with Docker's messages", () => {
    expect(() => updatedHostConfig('abc', current, { Memory: 256 << 20 }, sys)).toThrow(
      'Cannot update container abc: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    );
    expect(() => updatedHostConfig('abc', current, { CpuQuota: 50000 }, sys)).toThrow(
      'Cannot update container abc: Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set',
    );
    expect(() => updatedHostConfig('abc', current, { Memory: 1 << 20 }, sys)).toThrow('Cannot update container abc: Minimum memory limit allowed is 6MB');
    expect(() => updatedHostConfig('abc', host({ AutoRemove: true }), { RestartPolicy: { Name: 'always' } }, sys)).toThrow(
      'Cannot update container abc: Restart policy cannot be updated because AutoRemove is enabled for the container',
    );
    // swap alone is allowed on update
    expect(updatedHostConfig('abc', current, { MemorySwap: 256 << 20 }, sys).hostConfig.MemorySwap).toBe(256 << 20);
  });
});

describe('stats', () => {
  it("writes Docker's stats JSON: precpu from the previous sample, host memory for no limit", () => {
    const j = statsJson(sample(200), sample(100), { name: '/web', id: 'abc', apiVersion: '1.44' }) as Record<string, any>;
    expect(Object.keys(j)).toEqual(['name', 'id', 'read', 'preread', 'pids_stats', 'blkio_stats', 'num_procs', 'storage_stats', 'cpu_stats', 'precpu_stats', 'memory_stats']);
    expect(j.cpu_stats).toEqual({
      cpu_usage: { total_usage: 200, percpu_usage: [200], usage_in_kernelmode: 0, usage_in_usermode: 200 },
      system_cpu_usage: 2000,
      online_cpus: 1,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    });
    expect(j.precpu_stats.cpu_usage.total_usage).toBe(100);
    expect(j.memory_stats.limit).toBe(totalmem());
    expect(j.pids_stats).toEqual({ current: 2 });
    expect(j.blkio_stats.io_service_bytes_recursive).toEqual([{ major: 254, minor: 0, op: 'Read', value: 4096 }]);
    expect(j.blkio_stats.io_serviced_recursive).toBeNull();
  });

  it("keeps the book's 1.19 layout before API 1.21", () => {
    const j = statsJson(sample(200), undefined, { name: '/web', id: 'abc', apiVersion: '1.19' }) as Record<string, any>;
    expect(Object.keys(j)).toEqual(['read', 'network', 'precpu_stats', 'cpu_stats', 'memory_stats', 'blkio_stats']);
    expect(j.precpu_stats).toEqual({
      cpu_usage: { total_usage: 0, percpu_usage: null, usage_in_kernelmode: 0, usage_in_usermode: 0 },
      system_cpu_usage: 0,
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    });
    expect(j.network.rx_bytes).toBe(0);
    expect(j.blkio_stats.io_serviced_recursive).toEqual([]);
  });

  it('writes integers above 2^53 in full', () => {
    expect(stringifyIntegers({ a: 9223372036854771712, b: 1.5, c: 'x' })).toBe('{"a":9223372036854771712,"b":1.5,"c":"x"}');
  });

  it('streams frames whose precpu_stats are the previous cpu_stats; one primed frame without stream', async () => {
    let n = 0;
    const sampler = () => (n < 3 ? sample(++n * 100) : undefined);
    const o = { name: '/web', id: 'abc', apiVersion: '1.44', intervalMs: 1 };
    const frames: Record<string, any>[] = [];
    for await (const f of statsFrames(sampler, { ...o, stream: true, oneShot: false })) frames.push(f);
    expect(frames.map((f) => [f.precpu_stats.cpu_usage.total_usage, f.cpu_stats.cpu_usage.total_usage])).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
    n = 0;
    const once: Record<string, any>[] = [];
    for await (const f of statsFrames(sampler, { ...o, stream: false, oneShot: false })) once.push(f);
    expect(once.map((f) => [f.precpu_stats.cpu_usage.total_usage, f.cpu_stats.cpu_usage.total_usage])).toEqual([[100, 200]]);
    const stopped: Record<string, any>[] = [];
    for await (const f of statsFrames(() => undefined, { ...o, stream: true, oneShot: false })) stopped.push(f);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ read: '0001-01-01T00:00:00Z', memory_stats: {} });
  });
});

describe('devices', () => {
  it("splits a dev_t as glibc's major()/minor() do", () => {
    expect(majorMinor(statSync('/dev/null').rdev)).toEqual({ major: 1, minor: 3 });
    // makedev(259, 0x12345): minor bits above 8 go to bits 20..
    expect(majorMinor((0x12345 & 0xff) | (259 << 8) | ((0x12345 & ~0xff) << 12))).toEqual({ major: 259, minor: 0x12345 });
  });

  it('maps a host node with its cgroup rule and refuses what is not one', () => {
    expect(mappedDevices({ PathOnHost: '/dev/null', PathInContainer: '/dev/mynull', CgroupPermissions: 'rw' })).toMatchObject({
      devices: [{ path: '/dev/mynull', type: 'c', major: 1, minor: 3 }],
      rules: [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rw' }],
    });
    expect(() => mappedDevices({ PathOnHost: '/dev/nosuch', PathInContainer: '', CgroupPermissions: 'rwm' })).toThrow(
      'error gathering device information while adding custom device "/dev/nosuch": no such file or directory',
    );
    expect(() => mappedDevices({ PathOnHost: '/dev/null', PathInContainer: '', CgroupPermissions: 'rwx' })).toThrow('invalid device mode: rwx');
  });
});

describe('securityOptions', () => {
  it("parses Docker's forms", () => {
    expect(securityOptions(['no-new-privileges', 'seccomp=unconfined', ''], sys)).toEqual({ noNewPrivileges: true, seccomp: 'unconfined', warnings: [] });
    expect(securityOptions(['no-new-privileges:false', 'seccomp=builtin'], sys)).toEqual({ noNewPrivileges: false, warnings: [] });
    expect(securityOptions(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'], sys).seccomp).toEqual({ defaultAction: 'SCMP_ACT_ALLOW' });
    expect(securityOptions(['label=disable', 'apparmor=unconfined'], sys).warnings).toEqual([
      'SELinux is not enabled on this host: label options discarded.',
      'AppArmor is not enabled on this host: apparmor profile discarded.',
    ]);
    expect(() => securityOptions(['seccomp={'], sys)).toThrow(/^Decoding seccomp profile failed: /);
    expect(() => securityOptions(['no-new-privileges=maybe'], sys)).toThrow('invalid --security-opt 2: "no-new-privileges=maybe"');
  });
});

describe('containerUser', () => {
  const rootfs = mkdtempSync(join(tmpdir(), 'berth-user-'));
  mkdirSync(join(rootfs, 'etc'));
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\naudio:x:29:nobody\nnogroup:x:65534:\n');
  afterAll(() => rmSync(rootfs, { recursive: true, force: true }));

  it('leaves -u to libcontainer without --group-add and adds the groups with it', () => {
    expect(containerUser(rootfs, 'nobody', [])).toBe('nobody');
    expect(containerUser(rootfs, '', [])).toBeUndefined();
    expect(containerUser(rootfs, 'nobody', ['root', '4242'])).toEqual({ uid: 65534, gid: 65534, additionalGids: [29, 0, 4242] });
    expect(() => containerUser(rootfs, 'nobody', ['wheel'])).toThrow('Unable to find group wheel: no matching entries in group file');
  });
});

describe('sysInfoWarnings', () => {
  it("lists what the host lacks in docker info's words", () => {
    expect(sysInfoWarnings(sys, { ipv4Forwarding: false, bridgeNfIptables: true, bridgeNfIp6tables: true })).toEqual([
      'WARNING: No blkio weight support',
      'WARNING: No blkio weight_device support',
      'WARNING: IPv4 forwarding is disabled',
    ]);
  });
});
