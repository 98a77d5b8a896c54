export { ContainerFilesystem, type FilesystemHost } from './container-fs.js';
export { encodePathStat, goFileMode, isGoDir, type PathStat } from './pathstat.js';
// The tar writer and the breakout-safe unpacker, for `berth cp` on the client's side.
export { applyTar, pathTar } from '@berth/graph-aufs';
