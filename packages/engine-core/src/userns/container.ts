import { readlinkSync } from 'node:fs';
import type { HostConfig } from '@berth/api-types';
import { InvalidParameterError } from '@berth/api-types';
import type { IdMapping } from '@berth/graph-aufs';
import type { ContainerSpec } from '@berth/libcontainer';

/** Whether a container gets its own user namespace: the daemon remaps and it did not ask for `--userns=host`. */
export function remapsContainer(h: Pick<HostConfig, 'UsernsMode'>, mapping: IdMapping | undefined): mapping is IdMapping {
  return mapping !== undefined && h.UsernsMode !== 'host';
}

/** Docker's verifyPlatformContainerSettings for user namespaces: what a remapped container cannot share. */
export function verifyUsernsSettings(h: HostConfig, mapping: IdMapping | undefined): void {
  if (!remapsContainer(h, mapping)) return;
  if (h.Privileged) {
    throw new InvalidParameterError(
      'privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode',
    );
  }
  if (h.NetworkMode === 'host') throw new InvalidParameterError("cannot share the host's network namespace when user namespaces are enabled");
  if (h.PidMode === 'host') throw new InvalidParameterError('cannot share the host PID namespace when user namespaces are enabled');
}

/**
 * The user namespace owning a namespace a container joins (`--net|--ipc|--pid container:<x>`):
 * a container shares the other's user namespace with it, as Docker does. Undefined for the
 * host's (the other opted out with `--userns=host`).
 */
function joinedUserNamespace(nsPath: string): string | undefined {
  const pid = /^\/proc\/(\d+)\/ns\/(net|ipc|pid)$/.exec(nsPath)?.[1];
  if (pid === undefined) return undefined;
  const path = `/proc/${pid}/ns/user`;
  return readlinkSync(path) === readlinkSync('/proc/self/ns/user') ? undefined : path;
}

/**
 * The spec's user namespace: a new one mapped onto the daemon's ranges, or the one of the
 * container whose network, IPC or PID namespace it joins; none when the container opted out.
 */
export function withUserNamespace(spec: ContainerSpec, h: Pick<HostConfig, 'UsernsMode'>, mapping: IdMapping | undefined): ContainerSpec {
  if (!remapsContainer(h, mapping)) return spec;
  const joined = [spec.namespaces?.net, spec.namespaces?.ipc, spec.namespaces?.pid].find((n) => n?.mode === 'join');
  if (joined?.mode === 'join') {
    const user = joinedUserNamespace(joined.path);
    return user ? { ...spec, namespaces: { ...spec.namespaces, user: { mode: 'join', path: user } } } : spec;
  }
  return { ...spec, namespaces: { ...spec.namespaces, user: { mode: 'new' } }, uidMappings: mapping.uids, gidMappings: mapping.gids };
}
