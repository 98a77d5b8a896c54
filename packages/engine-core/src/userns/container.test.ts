import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
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

  it("joins the user namespace owning the network it joins; none when that is the host's", async () => {
    const other = spawn('unshare', ['--user', 'sleep', '30'], { stdio: 'ignore' });
    try {
      // wait until unshare has made its namespace and become sleep
      for (let i = 0; i < 100 && readlinkSync(`/proc/${other.pid}/ns/user`) === readlinkSync('/proc/self/ns/user'); i++) await new Promise((r) => setTimeout(r, 20));
      const join = (pid: number | undefined) => ({ rootfs: '/r', args: ['sh'], namespaces: { net: { mode: 'join' as const, path: `/proc/${pid}/ns/net` } } });
      expect(withUserNamespace(join(other.pid), host({}), mapping).namespaces).toEqual({
        net: { mode: 'join', path: `/proc/${other.pid}/ns/net` },
        user: { mode: 'join', path: `/proc/${other.pid}/ns/user` },
      });
      const hostOwned = join(process.pid);
      expect(withUserNamespace(hostOwned, host({}), mapping)).toBe(hostOwned);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
