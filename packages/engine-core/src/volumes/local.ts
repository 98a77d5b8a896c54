import { readFileSync } from 'node:fs';
import { InvalidParameterError, SystemError } from '@berth/api-types';
import { MNT, mount, parseMountOptions, unmount } from '@berth/libcontainer';

const VALID_OPTIONS = ['type', 'o', 'device', 'size'];
const REQUIRED_WITH: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

/** The local driver's options (`-o type=tmpfs -o device=tmpfs -o o=size=1m`), as moby checks them. */
export function validateLocalOptions(opts: Record<string, string>): void {
  for (const key of Object.keys(opts)) {
    if (!VALID_OPTIONS.includes(key)) throw new InvalidParameterError(`invalid option: "${key}"`);
  }
  // size is a project quota, which needs an xfs/ext4 backing fs with quotas on: none here.
  if (opts['size'] !== undefined) throw new InvalidParameterError('quota size requested but no quota support');
  for (const [key, required] of Object.entries(REQUIRED_WITH)) {
    if (opts[key] === undefined) continue;
    for (const r of required) if (opts[r] === undefined) throw new InvalidParameterError(`missing required option: "${r}"`);
  }
}

/** Whether a volume's data dir is a mount made on first use (tmpfs, a device, a bind). */
export function needsMount(opts: Record<string, string> | null): boolean {
  return Boolean(opts?.['type'] || opts?.['device']);
}

/** Whether `path` is a mount point in this mount namespace. */
export function isMounted(path: string): boolean {
  const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => unescape(line.split(' ')[4] ?? '') === path);
}

/** mount(8) of the volume's device on its data dir, as the local driver does. */
export function mountLocal(opts: Record<string, string>, path: string): void {
  if (isMounted(path)) return;
  const { flags, data } = parseMountOptions(opts['o'] ? opts['o'].split(',') : []);
  try {
    mount(path, { source: opts['device'] ?? '', fstype: opts['type'] === 'none' ? null : (opts['type'] ?? null), flags, data: data || null });
  } catch (e) {
    throw new SystemError(`failed to mount local volume: mount ${opts['device']}:${path}: ${(e as Error).message}`);
  }
}

export function unmountLocal(path: string): void {
  while (isMounted(path)) unmount(path, MNT.DETACH);
}
