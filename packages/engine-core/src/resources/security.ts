import { InvalidParameterError } from '@berth/api-types';
import type { SeccompProfile } from '@berth/libcontainer';
import type { SysInfo } from './sysinfo.js';

/** What `--security-opt` asks for. */
export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** Absent: Docker's default profile. */
  seccomp?: SeccompProfile | 'unconfined';
  warnings: string[];
}

function seccompProfile(value: string): SeccompProfile | 'unconfined' | undefined {
  if (value === 'unconfined') return 'unconfined';
  if (value === 'builtin' || value === '') return undefined;
  // The docker CLI sends the profile file's content (`seccomp=<json>`).
  let profile: unknown;
  try {
    profile = JSON.parse(value);
  } catch (e) {
    throw new InvalidParameterError(`Decoding seccomp profile failed: ${(e as Error).message}`);
  }
  if (typeof profile !== 'object' || profile === null || typeof (profile as { defaultAction?: unknown }).defaultAction !== 'string') {
    throw new InvalidParameterError('Decoding seccomp profile failed: defaultAction is missing');
  }
  return profile as SeccompProfile;
}

/**
 * Docker's parseSecurityOpt: `no-new-privileges[=bool]`, `seccomp=unconfined|builtin|<json>`,
 * `label=...` and `apparmor=...` (kept, with a warning where the host has neither), the
 * deprecated `key:value` spelling too. Throws Docker's `invalid --security-opt` errors.
 */
export function securityOptions(opts: readonly string[], sys: Pick<SysInfo, 'appArmor' | 'seLinux'>): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, warnings: [] };
  for (const opt of opts) {
    if (opt === '') continue;
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue;
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : '';
    if (sep === '') throw new InvalidParameterError(`invalid --security-opt 1: ${JSON.stringify(opt)}`);
    const key = opt.slice(0, opt.indexOf(sep));
    const value = opt.slice(opt.indexOf(sep) + 1);
    switch (key) {
      case 'label':
        if (!sys.seLinux) out.warnings.push('SELinux is not enabled on this host: label options discarded.');
        break;
      case 'apparmor':
        if (!sys.appArmor) out.warnings.push('AppArmor is not enabled on this host: apparmor profile discarded.');
        break;
      case 'seccomp': {
        const profile = seccompProfile(value);
        if (profile) out.seccomp = profile;
        break;
      }
      case 'no-new-privileges':
        if (!['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) {
          throw new InvalidParameterError(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
        }
        out.noNewPrivileges = ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
        break;
      default:
        throw new InvalidParameterError(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
    }
  }
  return out;
}
