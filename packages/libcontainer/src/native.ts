import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetlinkAddon } from './netlink-native.js';

/** The ABI version of native/src/addon that this package was written against. */
export const ADDON_ABI_VERSION = 2;

/** The calls the native addon provides. */
export interface NativeAddon extends NetlinkAddon {
  abiVersion(): number;
  getpid(): number;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount(target: string, flags: number): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lgetxattr(path: string, name: string): Buffer | null;
  lsetxattr(path: string, name: string, value: Buffer, flags: number): void;
  llistxattr(path: string): string[];
  setns(path: string, nstype: number): void;
  openpty(): { master: number; slave: number; path: string };
  spawnMonitor(file: string, args: string[]): { fd: number; pid: number };
  reap(pid: number): void;
  /** Loads a BPF_PROG_TYPE_CGROUP_DEVICE program (struct bpf_insn records) and attaches it to a v2 cgroup. */
  attachDeviceFilter(cgroupDir: string, insns: Buffer): void;
}

const releaseDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'build', 'Release');

let loaded: NativeAddon | undefined;

/** Loads native/build/Release/berth.node once, checking it matches this package. */
export function addon(): NativeAddon {
  if (loaded) return loaded;
  const file = join(releaseDir, 'berth.node');
  if (!existsSync(file)) {
    throw new Error(`berth native addon not built (${file} is missing): run 'npm ci' or 'node tools/build-native.mjs'`);
  }
  const mod = createRequire(import.meta.url)(file) as NativeAddon;
  if (mod.abiVersion() !== ADDON_ABI_VERSION) {
    throw new Error(`berth native addon ABI ${mod.abiVersion()} does not match ${ADDON_ABI_VERSION}: rebuild native/`);
  }
  loaded = mod;
  return mod;
}

/** Path of the per-container monitor executable built from native/. */
export function monitorPath(): string {
  return join(releaseDir, 'berth-monitor');
}
