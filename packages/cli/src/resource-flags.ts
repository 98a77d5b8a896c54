import { readFileSync } from 'node:fs';
import { ramInBytes } from '@berth/api-types';
import type { FlagSet, FlagValue } from './flags.js';
import { RunConfigError } from './runconfig.js';

/** The run/create flags added after docker 1.7 for limits and security (1.8 to 1.13 spellings). */
export interface ResourceFlags {
  memoryReservation: FlagValue<string>;
  memorySwappiness: FlagValue<number>;
  oomScoreAdj: FlagValue<number>;
  cpus: FlagValue<string>;
  pidsLimit: FlagValue<number>;
  shmSize: FlagValue<string>;
  groupAdd: FlagValue<string[]>;
  sysctls: FlagValue<string[]>;
  userns: FlagValue<string>;
  deviceReadBps: FlagValue<string[]>;
  deviceWriteBps: FlagValue<string[]>;
  deviceReadIops: FlagValue<string[]>;
  deviceWriteIops: FlagValue<string[]>;
}

export function defineResourceFlags(fs: FlagSet): ResourceFlags {
  return {
    memoryReservation: fs.string(['-memory-reservation'], '', 'Memory soft limit'),
    memorySwappiness: fs.int(['-memory-swappiness'], -1, 'Tuning container memory swappiness (0 to 100)'),
    oomScoreAdj: fs.int(['-oom-score-adj'], 0, "Tune host's OOM preferences (-1000 to 1000)"),
    cpus: fs.string(['-cpus'], '', 'Number of CPUs'),
    pidsLimit: fs.int(['-pids-limit'], 0, 'Tune container pids limit (set -1 for unlimited)'),
    shmSize: fs.string(['-shm-size'], '', 'Size of /dev/shm, default value is 64MB'),
    groupAdd: fs.list(['-group-add'], 'Add additional groups to join'),
    sysctls: fs.list(['-sysctl'], 'Sysctl options'),
    userns: fs.string(['-userns'], '', 'User namespace to use'),
    deviceReadBps: fs.list(['-device-read-bps'], 'Limit read rate (bytes per second) from a device'),
    deviceWriteBps: fs.list(['-device-write-bps'], 'Limit write rate (bytes per second) to a device'),
    deviceReadIops: fs.list(['-device-read-iops'], 'Limit read rate (IO per second) from a device'),
    deviceWriteIops: fs.list(['-device-write-iops'], 'Limit write rate (IO per second) to a device'),
  };
}

function size(text: string): number {
  try {
    return ramInBytes(text);
  } catch (e) {
    throw new RunConfigError((e as Error).message);
  }
}

/** opts.ValidateThrottleBpsDevice / IOpsDevice: `/dev/sda:1mb`, `/dev/sda:100`. */
function throttle(spec: string, iops: boolean): { Path: string; Rate: number } {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0) throw new RunConfigError(`bad format: ${spec}`);
  const path = spec.slice(0, colon);
  if (!path.startsWith('/dev/')) throw new RunConfigError(`bad format for device path: ${spec}`);
  const rate = spec.slice(colon + 1);
  let n: number;
  try {
    n = iops ? (/^\d+$/.test(rate) ? Number(rate) : NaN) : ramInBytes(rate);
  } catch {
    n = NaN;
  }
  if (!Number.isFinite(n) || n < 0) {
    throw new RunConfigError(
      iops
        ? `invalid rate for device: ${spec}. The correct format is <device-path>:<number>. Number must be a positive integer`
        : `invalid rate for device: ${spec}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`,
    );
  }
  return { Path: path, Rate: n };
}

/** The HostConfig fields of the resource flags. */
export function resourceHostConfig(f: ResourceFlags) {
  if (f.userns.value !== '' && f.userns.value !== 'host') throw new RunConfigError('--userns: invalid USER mode');
  const nanoCpus = f.cpus.value === '' ? 0 : Math.round(Number(f.cpus.value) * 1e9);
  if (Number.isNaN(nanoCpus)) throw new RunConfigError(`invalid argument "${f.cpus.value}" for "--cpus" flag: failed to parse ${f.cpus.value} as a rational number`);
  const sysctls: Record<string, string> = {};
  for (const s of f.sysctls.value) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new RunConfigError(`sysctl '${s}' is not whitelisted`);
    sysctls[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return {
    MemoryReservation: f.memoryReservation.value === '' ? 0 : size(f.memoryReservation.value),
    MemorySwappiness: f.memorySwappiness.value,
    OomScoreAdj: f.oomScoreAdj.value,
    NanoCpus: nanoCpus,
    PidsLimit: f.pidsLimit.value,
    ShmSize: f.shmSize.value === '' ? 0 : size(f.shmSize.value),
    GroupAdd: f.groupAdd.value,
    Sysctls: sysctls,
    UsernsMode: f.userns.value,
    BlkioDeviceReadBps: f.deviceReadBps.value.map((s) => throttle(s, false)),
    BlkioDeviceWriteBps: f.deviceWriteBps.value.map((s) => throttle(s, false)),
    BlkioDeviceReadIOps: f.deviceReadIops.value.map((s) => throttle(s, true)),
    BlkioDeviceWriteIOps: f.deviceWriteIops.value.map((s) => throttle(s, true)),
  };
}

/** `--security-opt seccomp=FILE` sends the profile itself, as the docker CLI does. */
export function securityOpts(list: readonly string[]): string[] {
  return list.map((opt) => {
    const m = /^seccomp[=:](.+)$/.exec(opt);
    if (!m || m[1] === 'unconfined' || m[1] === 'builtin') return opt;
    try {
      return `seccomp=${JSON.stringify(JSON.parse(readFileSync(m[1] as string, 'utf8')))}`;
    } catch (e) {
      throw new RunConfigError(`opening seccomp profile (${m[1]}) failed: ${(e as Error).message}`);
    }
  });
}
