import { describe, expect, it } from 'vitest';
import type { HostConfig } from '@berth/api-types';
import { verifyUsernsSettings, withUserNamespace } from './container.js';

const mapping = { uids: [{ containerId: 0, hostId: 100000, size: 65536 }], gids: [{ containerId: 0, hostId: 200000, size: 65536 }] };
const host = (h: Partial<HostConfig>): HostConfig => ({ UsernsMode: '', Privileged: false, NetworkMode: 'default', PidMode: '', ...h }) as HostConfig;

describe('containers under --userns-remap', () => {
  it("refuses what a user namespace cannot share, with Docker's messages, unless --userns=host", () => {
    expect(() => verifyUsernsSettings(host({ Privileged: true }), mapping)).toThrow(
      'privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode',
    );
    expect(() => verifyUsernsSettings(host({ NetworkMode: 'host' }), mapping)).toThrow("cannot share the host's network namespace when user namespaces are enabled");
    expect(() => verifyUsernsSettings(host({ PidMode: 'host' }), mapping)).toThrow('cannot share the host PID namespace when user namespaces are enabled');
    expect(() => verifyUsernsSettings(host({ Privileged: true, NetworkMode: 'host', UsernsMode: 'host' }), mapping)).not.toThrow();
    expect(() => verifyUsernsSettings(host({ Privileged: true }), undefined)).not.toThrow();
  });

  it('gives a new user namespace on the ranges, none with --userns=host or without remapping', () => {
    const spec = { rootfs: '/r', args: ['sh'], namespaces: { net: { mode: 'new' as const } } };
    expect(withUserNamespace(spec, host({}), mapping)).toEqual({
      ...spec,
      namespaces: { net: { mode: 'new' }, user: { mode: 'new' } },
      uidMappings: mapping.uids,
      gidMappings: mapping.gids,
    });
    expect(withUserNamespace(spec, host({ UsernsMode: 'host' }), mapping)).toBe(spec);
    expect(withUserNamespace(spec, host({}), undefined)).toBe(spec);
  });
});
