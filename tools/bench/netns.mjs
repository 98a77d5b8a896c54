// A network namespace of the bench's own, so a daemon can set up its bridge and iptables rules
// without touching the host's interfaces or firewall; deleting it takes all of them away.
import { execFileSync, spawnSync } from 'node:child_process';

/** Creates netns `name` with loopback up; returns { name, wrap(argv), remove() }. */
export function createNetns(name) {
  spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  return {
    name,
    /**
     * The argv that runs `argv` inside the namespace: nsenter execs it (same pid) and, unlike
     * `ip netns exec`, leaves the mount namespace and /sys (with the cgroup mounts) alone.
     */
    wrap: (argv) => ['nsenter', `--net=/run/netns/${name}`, ...argv],
    remove: () => spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' }),
  };
}
