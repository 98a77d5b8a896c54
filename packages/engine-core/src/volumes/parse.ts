import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { MountRequest } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import { validateVolumeName } from './names.js';
import type { WantedMount } from './types.js';

const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];

/** A `-v` mode: `ro`/`rw`, `z`/`Z`, `nocopy` and a propagation, each at most once. */
function parseMode(mode: string): { rw: boolean; copy: boolean; propagation: string } | undefined {
  let rw: boolean | undefined;
  let label = false;
  let copy: boolean | undefined;
  let propagation: string | undefined;
  for (const m of mode.split(',')) {
    if (m === 'ro' || m === 'rw') {
      if (rw !== undefined) return undefined;
      rw = m === 'rw';
    } else if (m === 'z' || m === 'Z') {
      if (label) return undefined;
      label = true;
    } else if (m === 'nocopy') {
      if (copy !== undefined) return undefined;
      copy = false;
    } else if (PROPAGATIONS.includes(m)) {
      if (propagation !== undefined) return undefined;
      propagation = m;
    } else {
      return undefined;
    }
  }
  return { rw: rw ?? true, copy: copy ?? true, propagation: propagation ?? '' };
}

const configError = (type: string, msg: string): string => `invalid mount config for type "${type}": ${msg}`;

function checkDestination(type: string, dest: string): string {
  if (!posix.isAbsolute(dest)) return configError(type, `invalid mount path: '${dest}' mount path must be absolute`);
  if (posix.normalize(dest) === '/') return configError(type, "invalid specification: destination can't be '/'");
  return '';
}

/** A `HostConfig.Binds` entry: `[src:]dst[:mode]`, src a host path or a volume name. */
export function parseBind(raw: string): WantedMount {
  const spec = `invalid volume specification: '${raw}'`;
  const parts = raw.split(':');
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => p === '')) throw new InvalidParameterError(spec);
  let [source, destination, mode] = parts.length === 1 ? ['', parts[0] as string, ''] : [parts[0] as string, parts[1] as string, parts[2] ?? ''];
  // `/foo:rw` is a destination with a mode: volumes cannot take one
  if (parts.length === 2 && parseMode(destination)) throw new InvalidParameterError(spec);
  const type = source !== '' && posix.isAbsolute(source) ? 'bind' : 'volume';
  const parsed = mode === '' ? { rw: true, copy: true, propagation: '' } : parseMode(mode);
  if (!parsed) throw new InvalidParameterError(`invalid mode: ${mode}`);
  const problem = checkDestination(type, destination);
  if (problem) throw new InvalidParameterError(`${spec}: ${problem}`);
  if (type === 'volume' && source !== '') validateVolumeName(source);
  if (type === 'bind') source = posix.normalize(source);
  destination = posix.normalize(destination);
  if (type === 'volume' && parsed.propagation) throw new InvalidParameterError(`invalid mode: ${mode}`);
  return {
    type,
    source,
    destination,
    rw: parsed.rw,
    mode: type === 'volume' && mode === '' ? 'z' : mode,
    propagation: type === 'bind' ? parsed.propagation || 'rprivate' : '',
    copyData: type === 'volume' && parsed.copy,
    createSource: true,
  };
}

/** A `HostConfig.Mounts` entry (`--mount`), checked as moby's validateMountConfig. */
export function parseMount(m: MountRequest): WantedMount {
  const type = m.Type ?? '';
  const fail = (msg: string): never => {
    throw new InvalidParameterError(configError(type, msg));
  };
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') return fail('mount type unknown');
  const target = m.Target ?? '';
  if (target === '') fail('field Target must not be empty');
  const problem = checkDestination(type, target);
  if (problem) throw new InvalidParameterError(problem);
  const source = m.Source ?? '';
  const rw = !m.ReadOnly;
  const destination = posix.normalize(target);
  for (const [field, allowed] of [
    ['BindOptions', 'bind'],
    ['VolumeOptions', 'volume'],
    ['TmpfsOptions', 'tmpfs'],
  ] as const) {
    if (m[field] && type !== allowed) fail(`field ${field} must not be specified`);
  }
  if (type === 'bind') {
    if (source === '') fail('field Source must not be empty');
    if (!posix.isAbsolute(source)) fail(`invalid mount path: '${source}' mount path must be absolute`);
    if (!existsSync(source)) fail(`bind source path does not exist: ${source}`);
    return { type, source: posix.normalize(source), destination, rw, mode: '', propagation: m.BindOptions?.Propagation || 'rprivate', copyData: false };
  }
  if (type === 'volume') {
    if (source !== '') validateVolumeName(source);
    const o = m.VolumeOptions;
    return {
      type,
      source,
      destination,
      rw,
      mode: '',
      propagation: '',
      copyData: !o?.NoCopy,
      volumeLabels: { ...(o?.Labels ?? {}) },
      ...(o?.DriverConfig?.Options ? { driverOptions: { ...o.DriverConfig.Options } } : {}),
      ...(o?.DriverConfig?.Name ? { driver: o.DriverConfig.Name } : {}),
    };
  }
  if (source !== '') fail('field Source must not be specified');
  const data: string[] = [];
  const t = m.TmpfsOptions;
  if (t?.SizeBytes) {
    if (t.SizeBytes < 0) fail('invalid tmpfs size');
    data.push(`size=${t.SizeBytes}`);
  }
  if (t?.Mode) data.push(`mode=${t.Mode.toString(8)}`);
  return { type, source: '', destination, rw, mode: '', propagation: '', copyData: false, tmpfsData: data.join(',') };
}

/** `HostConfig.Tmpfs`: `{"/run": "rw,size=64m"}`. */
export function parseTmpfs(destination: string, options: string): WantedMount {
  const problem = checkDestination('tmpfs', destination);
  if (problem) throw new InvalidParameterError(problem);
  const opts = options.split(',').filter((o) => o !== '');
  const rw = !opts.includes('ro');
  return {
    type: 'tmpfs',
    source: '',
    destination: posix.normalize(destination),
    rw,
    mode: '',
    propagation: '',
    copyData: false,
    tmpfsData: opts.filter((o) => o !== 'ro' && o !== 'rw').join(','),
  };
}

/** A `HostConfig.VolumesFrom` entry: `container[:ro|rw]`. */
export function parseVolumesFrom(raw: string): { container: string; rw?: boolean } {
  const colon = raw.lastIndexOf(':');
  if (colon < 0) return { container: raw };
  const mode = raw.slice(colon + 1);
  if (mode !== 'ro' && mode !== 'rw') throw new InvalidParameterError(`invalid mode: ${mode}`);
  return { container: raw.slice(0, colon), rw: mode === 'rw' };
}

/**
 * Destinations an unprivileged container may not mount over: the kernel filesystems the
 * runtime sets up (runc refuses what is inside /proc; /sys is the host's sysfs).
 */
export function checkSpecialDestination(destination: string, privileged: boolean): void {
  if (privileged) return;
  for (const special of ['/proc', '/sys']) {
    if (destination === special || destination.startsWith(`${special}/`)) {
      throw new InvalidParameterError(`"${destination}" cannot be mounted because it is inside ${special}`);
    }
  }
}
