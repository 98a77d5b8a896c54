import { ramInBytes } from '@berth/api-types';

/** One `--mount` as the API's HostConfig.Mounts entry. */
export interface MountBody {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

function parseBool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (['1', 't', 'true'].includes(v)) return true;
  if (['0', 'f', 'false'].includes(v)) return false;
  throw new Error(`invalid value for ${key}: ${value}`);
}

/** The docker CLI's `--mount type=…,source=…,target=…[,readonly][,…]` (opts.MountOpt). */
export function parseMountFlag(value: string): MountBody {
  const m: MountBody = { Type: 'volume', Target: '' };
  const volume = (): NonNullable<MountBody['VolumeOptions']> => (m.VolumeOptions ??= {});
  const driver = (): NonNullable<NonNullable<MountBody['VolumeOptions']>['DriverConfig']> => (volume().DriverConfig ??= {});
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') m.ReadOnly = true;
      else if (key === 'volume-nocopy') volume().NoCopy = true;
      else if (key === 'bind-nonrecursive') (m.BindOptions ??= {}).NonRecursive = true;
      else throw new Error(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    const val = field.slice(eq + 1);
    switch (key) {
      case 'type':
        m.Type = val;
        break;
      case 'source':
      case 'src':
        m.Source = val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.Target = val;
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = parseBool(key, val);
        break;
      case 'consistency':
        m.Consistency = val;
        break;
      case 'bind-propagation':
        (m.BindOptions ??= {}).Propagation = val;
        break;
      case 'volume-nocopy':
        volume().NoCopy = parseBool(key, val);
        break;
      case 'volume-label':
      case 'volume-opt': {
        const map = key === 'volume-label' ? (volume().Labels ??= {}) : (driver().Options ??= {});
        const kv = val.indexOf('=');
        map[kv < 0 ? val : val.slice(0, kv)] = kv < 0 ? '' : val.slice(kv + 1);
        break;
      }
      case 'volume-driver':
        driver().Name = val;
        break;
      case 'tmpfs-size':
        (m.TmpfsOptions ??= {}).SizeBytes = ramInBytes(val);
        break;
      case 'tmpfs-mode': {
        const mode = parseInt(val, 8);
        if (!/^[0-7]+$/.test(val)) throw new Error(`invalid value for ${key}: ${val}`);
        (m.TmpfsOptions ??= {}).Mode = mode;
        break;
      }
      default:
        throw new Error(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (m.Type === '') throw new Error('type is required');
  if (m.Target === '') throw new Error('target is required');
  if (m.VolumeOptions && m.Type !== 'volume') throw new Error(`cannot mix 'volume-*' options with mount type '${m.Type}'`);
  if (m.BindOptions && m.Type !== 'bind') throw new Error(`cannot mix 'bind-*' options with mount type '${m.Type}'`);
  if (m.TmpfsOptions && m.Type !== 'tmpfs') throw new Error(`cannot mix 'tmpfs-*' options with mount type '${m.Type}'`);
  return m;
}

/** `--tmpfs /run[:opts]` entries as HostConfig.Tmpfs. */
export function tmpfsMap(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const colon = v.indexOf(':');
    out[colon < 0 ? v : v.slice(0, colon)] = colon < 0 ? '' : v.slice(colon + 1);
  }
  return out;
}
