import { MS } from './mount.js';

// mount(2) flags mount.ts does not name
const MS_SYNCHRONOUS = 0x10;
const MS_DIRSYNC = 0x80;
const MS_NODIRATIME = 0x800;

const FLAGS: Record<string, { set?: number; clear?: number }> = {
  ro: { set: MS.RDONLY },
  rw: { clear: MS.RDONLY },
  nosuid: { set: MS.NOSUID },
  suid: { clear: MS.NOSUID },
  nodev: { set: MS.NODEV },
  dev: { clear: MS.NODEV },
  noexec: { set: MS.NOEXEC },
  exec: { clear: MS.NOEXEC },
  sync: { set: MS_SYNCHRONOUS },
  dirsync: { set: MS_DIRSYNC },
  noatime: { set: MS.NOATIME },
  nodiratime: { set: MS_NODIRATIME },
  relatime: { set: MS.RELATIME },
  strictatime: { set: MS.STRICTATIME },
  bind: { set: MS.BIND },
  rbind: { set: MS.BIND | MS.REC },
  private: { set: MS.PRIVATE },
  rprivate: { set: MS.PRIVATE | MS.REC },
  slave: { set: MS.SLAVE },
  rslave: { set: MS.SLAVE | MS.REC },
  shared: { set: MS.SHARED },
  rshared: { set: MS.SHARED | MS.REC },
  unbindable: { set: MS.UNBINDABLE },
  runbindable: { set: MS.UNBINDABLE | MS.REC },
};

/** Splits mount(8)-style options into mount(2) flags and the filesystem's data string. */
export function parseMountOptions(options: readonly string[]): { flags: number; data: string } {
  let flags = 0;
  const data: string[] = [];
  for (const opt of options) {
    const f = FLAGS[opt];
    if (!f) {
      data.push(opt);
      continue;
    }
    if (f.set) flags |= f.set;
    if (f.clear) flags &= ~f.clear;
  }
  return { flags: flags >>> 0, data: data.join(',') };
}
