import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** The exclusive hold of one engine on its root: `<root>/berth.pid`, created with O_EXCL. */
export interface RootLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the root's lock file. A file left by a process that is gone (a `kill -9`) is taken
 * over; one held by a live process (this one included) refuses the open.
 */
export function lockRoot(path: string): RootLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(`the engine root is in use by process ${holder} (lock file ${path})`);
      }
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return { release: () => rmSync(path, { force: true }) };
  }
  throw new Error(`could not take the engine lock ${path}`);
}
