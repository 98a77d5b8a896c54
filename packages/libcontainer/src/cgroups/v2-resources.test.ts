// Which cgroup v2 file gets which value, with runc's conversions (opencontainers/cgroups utils.go,
// fs2/{memory,cpu,io,pids,hugetlb}.go). The v2 driver's writes go to a tmpdir standing in for a cgroup.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blkioWeightToIoWeight, controllerOf, cpuSharesToWeight, memorySwapToV2, v2Writes } from './v2-resources.js';
import { CgroupV2, parseIoStat } from './v2.js';

const MB = 1024 * 1024;

describe('conversions', () => {
  it('maps cpu shares to cpu.weight with runc quadratic fit: 2→1, 1024→100, 262144→10000', () => {
    expect([0, 1, 2, 3, 512, 1024, 2048, 262143, 262144, 300000].map(cpuSharesToWeight)).toEqual([0, 1, 1, 2, 59, 100, 174, 10000, 10000, 10000]);
  });

  it('maps blkio weight to io.weight with integer division', () => {
    expect([0, 10, 100, 500, 1000].map(blkioWeightToIoWeight)).toEqual([0, 1, 910, 4950, 10000]);
  });

  it('takes the memory limit off the memory+swap limit', () => {
    expect(memorySwapToV2(128 * MB, 64 * MB)).toBe(64 * MB);
    expect(memorySwapToV2(64 * MB, 64 * MB)).toBe(0);
    expect(memorySwapToV2(-1, 64 * MB)).toBe(-1);
    expect(memorySwapToV2(0, 64 * MB)).toBe(0);
    expect(memorySwapToV2(0, -1)).toBe(-1);
    expect(() => memorySwapToV2(64 * MB, 0)).toThrow('unable to set swap limit without memory limit');
    expect(() => memorySwapToV2(32 * MB, 64 * MB)).toThrow('memory+swap limit should be >= memory limit');
  });

  it('names the controller of a file, none for the core cgroup.* files', () => {
    expect(['memory.oom.group', 'hugetlb.2MB.max', 'cgroup.freeze'].map(controllerOf)).toEqual(['memory', 'hugetlb', undefined]);
  });
});

describe('parseIoStat', () => {
  it("gives the bytes read and written per device, as Docker's v2 stats", () => {
    expect(parseIoStat('254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n7:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0')).toEqual([
      { major: 254, minor: 0, op: 'read', value: 4096 }, { major: 254, minor: 0, op: 'write', value: 8192 },
      { major: 7, minor: 0, op: 'read', value: 0 }, { major: 7, minor: 0, op: 'write', value: 0 },
    ]);
    expect(parseIoStat('')).toEqual([]);
  });
});

describe('v2Writes', () => {
  it('writes each limit to its file in runc order', () => {
    const writes = v2Writes({
      memory: 64 * MB, memorySwap: 128 * MB, memoryReservation: 32 * MB, cpuShares: 512, cpuQuota: 25000, cpuPeriod: 50000,
      cpusetCpus: '0-1', cpusetMems: '0', blkioWeight: 500, blkioReadBps: [{ major: 8, minor: 0, rate: 1048576 }],
      blkioWriteIops: [{ major: 8, minor: 0, rate: 100 }], pidsLimit: 42, unified: { 'memory.oom.group': '1' },
      hugepageLimits: [{ pageSize: '2MB', limit: 4 * 2 * MB }],
    });
    expect(writes).toEqual([
      { file: 'pids.max', value: '42' },
      { file: 'memory.swap.max', value: String(64 * MB) },
      { file: 'memory.max', value: String(64 * MB) },
      { file: 'memory.low', value: String(32 * MB) },
      { file: 'io.bfq.weight', value: '500', orElse: { file: 'io.weight', value: '4950' } },
      { file: 'io.max', value: '8:0 rbps=1048576' },
      { file: 'io.max', value: '8:0 wiops=100' },
      { file: 'cpu.weight', value: '59' },
      { file: 'cpu.max', value: '25000 50000' },
      { file: 'cpuset.cpus', value: '0-1' },
      { file: 'cpuset.mems', value: '0' },
      { file: 'hugetlb.2MB.max', value: String(8 * MB) },
      { file: 'hugetlb.2MB.rsvd.max', value: String(8 * MB), ifExists: true },
      { file: 'memory.oom.group', value: '1' },
    ]);
  });

  it('writes no swap when memory+swap equals memory, unlimited swap for -1', () => {
    expect(v2Writes({ memory: 64 * MB, memorySwap: 64 * MB })).toEqual([
      { file: 'memory.swap.max', value: '0', ifExists: true },
      { file: 'memory.max', value: String(64 * MB) },
    ]);
    expect(v2Writes({ memory: 64 * MB, memorySwap: -1 })[0]).toEqual({ file: 'memory.swap.max', value: 'max', ifExists: true });
  });

  it('leaves the period alone when only a quota is given, and writes max for no quota', () => {
    expect(v2Writes({ cpuQuota: 50000 })).toEqual([{ file: 'cpu.max', value: '50000' }]);
    expect(v2Writes({ cpuQuota: -1, cpuPeriod: 20000 })).toEqual([{ file: 'cpu.max', value: 'max 20000' }]);
  });

  it('writes pids.max max for a negative limit and nothing for 0', () => {
    expect(v2Writes({ pidsLimit: -1 })).toEqual([{ file: 'pids.max', value: 'max' }]);
    expect(v2Writes({ pidsLimit: 0 })).toEqual([]);
  });

  it('refuses what v2 has no file for, by name', () => {
    expect(() => v2Writes({ oomKillDisable: true })).toThrow('cgroup v2 does not support oom-kill-disable');
    expect(() => v2Writes({ memorySwappiness: 10 })).toThrow('cgroup v2 does not support memory swappiness');
    expect(() => v2Writes({ unified: { '../x': '1' } })).toThrow('unified resource "../x" must be in the form CONTROLLER.PARAMETER');
    expect(v2Writes({ memorySwappiness: -1 })).toEqual([]);
  });
});

describe('CgroupV2.update on a stand-in directory', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const standIn = (controllers: string) => {
    dir = mkdtempSync(join(tmpdir(), 'berth-cg2-unit-'));
    mkdirSync(join(dir, 'parent', 'c'), { recursive: true });
    for (const d of [dir, join(dir, 'parent'), join(dir, 'parent', 'c')]) {
      writeFileSync(join(d, 'cgroup.controllers'), controllers);
      writeFileSync(join(d, 'cgroup.subtree_control'), '');
    }
    return new CgroupV2(dir, 'parent/c');
  };

  it('enables the controllers down the tree and writes the files', () => {
    const cg = standIn('cpu io memory pids');
    cg.create({ memory: 64 * MB, cpuShares: 2048, pidsLimit: 10, blkioWeight: 100 });
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    expect(read('cgroup.subtree_control')).toBe('+cpu +io +memory +pids');
    expect(read('parent/cgroup.subtree_control')).toBe('+cpu +io +memory +pids');
    expect(['memory.max', 'cpu.weight', 'pids.max', 'io.weight'].map((f) => read(`parent/c/${f}`))).toEqual([String(64 * MB), '174', '10', '910']);
  });

  it('gives BFQ the blkio weight as it is where io.bfq.weight exists', () => {
    const cg = standIn('io');
    writeFileSync(join(dir, 'parent/c/io.bfq.weight'), '100');
    cg.create({ blkioWeight: 300 });
    expect(readFileSync(join(dir, 'parent/c/io.bfq.weight'), 'utf8')).toBe('300');
  });

  it('names the missing controller instead of writing', () => {
    const cg = standIn('hugetlb');
    expect(() => cg.create({ pidsLimit: 10 })).toThrow(
      `resource "pids.max" can't be set: cgroup v2 controller "pids" not available in ${dir}/parent/c (cgroup.controllers: hugetlb)`,
    );
  });
});
