import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupHost, type CgroupHost } from '@berth/libcontainer';

/** What the host's cgroups and kernel can enforce (Docker's `pkg/sysinfo`), probed once at start. */
export interface SysInfo {
  cgroupVersion: 1 | 2;
  memoryLimit: boolean;
  swapLimit: boolean;
  memoryReservation: boolean;
  memorySwappiness: boolean;
  oomKillDisable: boolean;
  kernelMemoryTCP: boolean;
  pidsLimit: boolean;
  cpuShares: boolean;
  cpuCfs: boolean;
  cpuset: boolean;
  /** The CPUs and memory nodes a container may be pinned to (`0-3`). */
  cpus: string;
  mems: string;
  blkioWeight: boolean;
  blkioWeightDevice: boolean;
  blkioReadBpsDevice: boolean;
  blkioWriteBpsDevice: boolean;
  blkioReadIOpsDevice: boolean;
  blkioWriteIOpsDevice: boolean;
  /** Create's "IPv4 forwarding is disabled" warning; the bridge network enables forwarding, so false until it exists. */
  ipv4ForwardingDisabled: boolean;
  appArmor: boolean;
  seLinux: boolean;
}

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
};

function v1Info(cg: CgroupHost): Omit<SysInfo, 'cgroupVersion' | 'ipv4ForwardingDisabled' | 'appArmor' | 'seLinux'> {
  const has = (controller: string, file: string): boolean => {
    const mount = cg.controllers.get(controller);
    return mount !== undefined && existsSync(join(mount, file));
  };
  const cpuset = cg.controllers.get('cpuset');
  return {
    memoryLimit: has('memory', 'memory.limit_in_bytes'),
    swapLimit: has('memory', 'memory.memsw.limit_in_bytes'),
    memoryReservation: has('memory', 'memory.soft_limit_in_bytes'),
    memorySwappiness: has('memory', 'memory.swappiness'),
    oomKillDisable: has('memory', 'memory.oom_control'),
    kernelMemoryTCP: has('memory', 'memory.kmem.tcp.limit_in_bytes'),
    // the root pids cgroup has no pids.max: the controller being mounted is what counts
    pidsLimit: cg.controllers.has('pids'),
    cpuShares: has('cpu', 'cpu.shares'),
    cpuCfs: has('cpu', 'cpu.cfs_quota_us') && has('cpu', 'cpu.cfs_period_us'),
    cpuset: cpuset !== undefined,
    cpus: cpuset ? read(join(cpuset, 'cpuset.cpus')) : '',
    mems: cpuset ? read(join(cpuset, 'cpuset.mems')) : '',
    blkioWeight: has('blkio', 'blkio.weight') || has('blkio', 'blkio.bfq.weight'),
    blkioWeightDevice: has('blkio', 'blkio.weight_device') || has('blkio', 'blkio.bfq.weight_device'),
    blkioReadBpsDevice: has('blkio', 'blkio.throttle.read_bps_device'),
    blkioWriteBpsDevice: has('blkio', 'blkio.throttle.write_bps_device'),
    blkioReadIOpsDevice: has('blkio', 'blkio.throttle.read_iops_device'),
    blkioWriteIOpsDevice: has('blkio', 'blkio.throttle.write_iops_device'),
  };
}

function v2Info(cg: CgroupHost): Omit<SysInfo, 'cgroupVersion' | 'ipv4ForwardingDisabled' | 'appArmor' | 'seLinux'> {
  const root = cg.unified ?? '/sys/fs/cgroup';
  const controllers = new Set(read(join(root, 'cgroup.controllers')).split(/\s+/));
  const mem = controllers.has('memory');
  const cpu = controllers.has('cpu');
  const io = controllers.has('io');
  const cpuset = controllers.has('cpuset');
  return {
    memoryLimit: mem,
    swapLimit: mem,
    memoryReservation: mem,
    memorySwappiness: false,
    oomKillDisable: false,
    kernelMemoryTCP: false,
    pidsLimit: controllers.has('pids'),
    cpuShares: cpu,
    cpuCfs: cpu,
    cpuset,
    cpus: cpuset ? read(join(root, 'cpuset.cpus.effective')) : '',
    mems: cpuset ? read(join(root, 'cpuset.mems.effective')) : '',
    blkioWeight: io,
    blkioWeightDevice: io,
    blkioReadBpsDevice: io,
    blkioWriteBpsDevice: io,
    blkioReadIOpsDevice: io,
    blkioWriteIOpsDevice: io,
  };
}

/** Probes the cgroup files that exist on this host, as Docker's sysinfo.New does. */
export function probeSysInfo(): SysInfo {
  const cg = cgroupHost();
  return {
    cgroupVersion: cg.version,
    ...(cg.version === 1 ? v1Info(cg) : v2Info(cg)),
    ipv4ForwardingDisabled: false,
    appArmor: read('/sys/module/apparmor/parameters/enabled') === 'Y',
    seLinux: existsSync('/sys/fs/selinux/enforce'),
  };
}

/** `docker info`'s warnings about what the host lacks (moby's daemon/info_unix.go). */
export function sysInfoWarnings(s: SysInfo, net: { ipv4Forwarding: boolean; bridgeNfIptables: boolean; bridgeNfIp6tables: boolean }): string[] {
  const w: string[] = [];
  const v1 = s.cgroupVersion === 1;
  if (!s.memoryLimit) w.push('WARNING: No memory limit support');
  if (!s.swapLimit) w.push('WARNING: No swap limit support');
  if (!s.kernelMemoryTCP && v1) w.push('WARNING: No kernel memory TCP limit support');
  if (!s.oomKillDisable && v1) w.push('WARNING: No oom kill disable support');
  if (!s.cpuCfs) w.push('WARNING: No cpu cfs quota support', 'WARNING: No cpu cfs period support');
  if (!s.cpuShares) w.push('WARNING: No cpu shares support');
  if (!s.cpuset) w.push('WARNING: No cpuset support');
  if (!s.blkioWeight) w.push(v1 ? 'WARNING: No blkio weight support' : 'WARNING: No io.weight support');
  if (!s.blkioWeightDevice) w.push(v1 ? 'WARNING: No blkio weight_device support' : 'WARNING: No io.weight (per device) support');
  if (!s.blkioReadBpsDevice) w.push(v1 ? 'WARNING: No blkio throttle.read_bps_device support' : 'WARNING: No io.max (rbps) support');
  if (!s.blkioWriteBpsDevice) w.push(v1 ? 'WARNING: No blkio throttle.write_bps_device support' : 'WARNING: No io.max (wbps) support');
  if (!s.blkioReadIOpsDevice) w.push(v1 ? 'WARNING: No blkio throttle.read_iops_device support' : 'WARNING: No io.max (riops) support');
  if (!s.blkioWriteIOpsDevice) w.push(v1 ? 'WARNING: No blkio throttle.write_iops_device support' : 'WARNING: No io.max (wiops) support');
  if (!net.ipv4Forwarding) w.push('WARNING: IPv4 forwarding is disabled');
  if (!net.bridgeNfIptables) w.push('WARNING: bridge-nf-call-iptables is disabled');
  if (!net.bridgeNfIp6tables) w.push('WARNING: bridge-nf-call-ip6tables is disabled');
  return w;
}
