import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import type { Device, DeviceRule, ThrottleDevice } from '@berth/libcontainer';

type DeviceMapping = HostConfig['Devices'][number];
type ApiThrottleDevice = HostConfig['BlkioDeviceReadBps'][number];

/** glibc's major()/minor() of a dev_t (node's `rdev`, below 2^53). */
export function majorMinor(rdev: number): { major: number; minor: number } {
  const hi = Math.floor(rdev / 2 ** 32);
  const lo = rdev >>> 0;
  return { major: ((lo >>> 8) & 0xfff) | ((hi & ~0xfff) >>> 0), minor: (lo & 0xff) | ((lo >>> 12) & ~0xff) };
}

const nodeType = (st: Stats): 'c' | 'b' | undefined => (st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined);

/** The device nodes and cgroup rules that one `--device host[:container[:rwm]]` adds. */
export function mappedDevices(m: DeviceMapping): { devices: Device[]; rules: DeviceRule[] } {
  const access = m.CgroupPermissions || 'rwm';
  if (!/^[rwm]{1,3}$/.test(access)) throw new InvalidParameterError(`invalid device mode: ${access}`);
  const devices: Device[] = [];
  const rules: DeviceRule[] = [];
  const add = (hostPath: string, containerPath: string, st: Stats): void => {
    const type = nodeType(st);
    if (!type) return;
    const { major, minor } = majorMinor(st.rdev);
    devices.push({ path: containerPath, type, major, minor, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
    rules.push({ allow: true, type, major, minor, access });
  };
  let resolved = m.PathOnHost;
  let st: Stats;
  try {
    if (lstatSync(resolved).isSymbolicLink()) resolved = realpathSync(resolved);
    st = statSync(resolved);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InvalidParameterError(
      `error gathering device information while adding custom device "${m.PathOnHost}": ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`,
    );
  }
  const containerPath = m.PathInContainer || m.PathOnHost;
  if (st.isDirectory()) {
    // A directory maps every device node below it, at the same relative path.
    const walk = (dir: string, rel: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p, join(rel, entry.name));
        else if (!entry.isSymbolicLink()) add(p, join(containerPath, rel, entry.name), statSync(p));
      }
    };
    walk(resolved, '');
  } else {
    add(resolved, containerPath, st);
  }
  if (devices.length === 0) {
    throw new InvalidParameterError(`error gathering device information while adding custom device "${m.PathOnHost}": not a device node`);
  }
  return { devices, rules };
}

/** `--device-read-bps /dev/sda:1mb` and its kin: the device's major:minor with the rate. */
export function throttleDevices(list: readonly ApiThrottleDevice[]): ThrottleDevice[] {
  return list.map((d) => {
    let st: Stats;
    try {
      st = statSync(d.Path);
    } catch {
      throw new InvalidParameterError(`error getting device ${d.Path}: no such file or directory`);
    }
    if (!st.isBlockDevice()) throw new InvalidParameterError(`${d.Path} is not a block device`);
    return { ...majorMinor(st.rdev), rate: d.Rate };
  });
}

/** Directories of /dev that are mounts or links of their own in a container (containerd's getDevices). */
const SKIPPED_DIRS = new Set(['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev']);
/** Made by the container's /dev setup itself: links (ptmx, core) and the console. */
const SKIPPED_NODES = new Set(['/dev/console', '/dev/ptmx', '/dev/core']);

/** Every device node of the host's /dev, for `--privileged` (Docker's HostDevices). */
export function hostDevices(dir = '/dev'): Device[] {
  const out: Device[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...hostDevices(p));
      continue;
    }
    if (SKIPPED_NODES.has(p) || !(entry.isCharacterDevice() || entry.isBlockDevice())) continue;
    try {
      const st = lstatSync(p);
      const type = nodeType(st);
      if (type) out.push({ path: p, type, ...majorMinor(st.rdev), fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
