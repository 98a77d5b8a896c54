import type { Stats } from 'node:fs';

/** `X-Docker-Container-Path-Stat`: what `HEAD /containers/{id}/archive` says of a path. */
export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits. */
  mode: number;
  /** RFC 3339 with nanoseconds. */
  mtime: string;
  /** A symlink's target resolved inside the container, else empty. */
  linkTarget: string;
}

// Go's os.FileMode type bits.
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_DEVICE = 2 ** 26;
const GO_NAMED_PIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_CHAR_DEVICE = 2 ** 21;
const GO_STICKY = 2 ** 20;

/** A Linux st_mode as Go's os.FileMode (type bits on top, permissions below). */
export function goFileMode(stat: Stats): number {
  let mode = stat.mode & 0o777;
  if (stat.isDirectory()) mode += GO_DIR;
  else if (stat.isSymbolicLink()) mode += GO_SYMLINK;
  else if (stat.isBlockDevice()) mode += GO_DEVICE;
  else if (stat.isCharacterDevice()) mode += GO_DEVICE + GO_CHAR_DEVICE;
  else if (stat.isFIFO()) mode += GO_NAMED_PIPE;
  else if (stat.isSocket()) mode += GO_SOCKET;
  if (stat.mode & 0o4000) mode += GO_SETUID;
  if (stat.mode & 0o2000) mode += GO_SETGID;
  if (stat.mode & 0o1000) mode += GO_STICKY;
  return mode;
}

/** Whether a Go file mode is a directory. */
export const isGoDir = (mode: number): boolean => mode >= GO_DIR;

/** The header value: base64 of the stat's JSON. */
export function encodePathStat(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}
