import { watch, type FSWatcher } from 'node:fs';

/** Tells a following reader that a log file may have grown or been rotated. */
export interface LogWatcher {
  /** Resolves at the next possible change, or after a while anyway. */
  changed(): Promise<void>;
  close(): void;
}

/**
 * Watches the directory of the log with inotify (fs.watch) and also wakes up every
 * `pollMs`, so that a missed notification (rotation races, filesystems without inotify)
 * only delays lines, never loses them.
 */
export function watchLogDir(dir: string, pollMs = 250): LogWatcher {
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, () => wake?.());
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    changed: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }),
    close: () => {
      wake?.();
      watcher?.close();
    },
  };
}
