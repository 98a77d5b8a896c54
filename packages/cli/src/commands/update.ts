import { ramInBytes } from '@berth/api-types';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { parseRestartPolicy } from '../runconfig.js';
import { forEachTarget, seg } from '../targets.js';

const bytes = (text: string): number => (text === '' ? 0 : ramInBytes(text));

/** `berth update [OPTIONS] CONTAINER...`: new resource limits (and restart policy) for containers. */
export const updateCommand: Command = {
  name: 'update',
  signature: 'CONTAINER [CONTAINER...]',
  description: 'Update configuration of one or more containers',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const blkioWeight = fs.int(['-blkio-weight'], 0, 'Block IO (relative weight), between 10 and 1000');
    const cpuPeriod = fs.int(['-cpu-period'], 0, 'Limit CPU CFS (Completely Fair Scheduler) period');
    const cpuQuota = fs.int(['-cpu-quota'], 0, 'Limit CPU CFS (Completely Fair Scheduler) quota');
    const cpus = fs.string(['-cpus'], '', 'Number of CPUs');
    const cpusetCpus = fs.string(['-cpuset-cpus'], '', 'CPUs in which to allow execution (0-3, 0,1)');
    const cpusetMems = fs.string(['-cpuset-mems'], '', 'MEMs in which to allow execution (0-3, 0,1)');
    const cpuShares = fs.int(['c', '-cpu-shares'], 0, 'CPU shares (relative weight)');
    const memory = fs.string(['m', '-memory'], '', 'Memory limit');
    const memoryReservation = fs.string(['-memory-reservation'], '', 'Memory soft limit');
    const memorySwap = fs.string(['-memory-swap'], '', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap");
    const pidsLimit = fs.int(['-pids-limit'], 0, 'Tune container pids limit (set -1 for unlimited)');
    const restart = fs.string(['-restart'], '', 'Restart policy to apply when a container exits');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const flags = [blkioWeight, cpuPeriod, cpuQuota, cpus, cpusetCpus, cpusetMems, cpuShares, memory, memoryReservation, memorySwap, pidsLimit, restart];
    if (!flags.some((f) => f.set)) throw new Error('You must provide one or more flags when using this command.');
    const nanoCpus = cpus.value === '' ? 0 : Math.round(Number(cpus.value) * 1e9);
    if (Number.isNaN(nanoCpus)) throw new Error(`invalid argument "${cpus.value}" for "--cpus" flag: failed to parse ${cpus.value} as a rational number`);
    const body = {
      BlkioWeight: blkioWeight.value,
      CpuPeriod: cpuPeriod.value,
      CpuQuota: cpuQuota.value,
      NanoCpus: nanoCpus,
      CpusetCpus: cpusetCpus.value,
      CpusetMems: cpusetMems.value,
      CpuShares: cpuShares.value,
      Memory: bytes(memory.value),
      MemoryReservation: bytes(memoryReservation.value),
      MemorySwap: memorySwap.value === '-1' ? -1 : bytes(memorySwap.value),
      ...(pidsLimit.set ? { PidsLimit: pidsLimit.value } : {}),
      ...(restart.set ? { RestartPolicy: parseRestartPolicy(restart.value) } : {}),
    };
    const client = await ctx.client();
    const warnings: string[] = [];
    try {
      await forEachTarget(ctx, names, 'update containers', async (name) => {
        const r = await client.json<{ Warnings?: string[] | null }>('POST', `/containers/${seg(name)}/update`, { body });
        warnings.push(...(r.Warnings ?? []));
      });
    } finally {
      // as docker: the daemon's warnings follow the names on stdout
      if (warnings.length > 0) ctx.stdout.write(`${warnings.join('\n')}\n`);
    }
    return 0;
  },
};
