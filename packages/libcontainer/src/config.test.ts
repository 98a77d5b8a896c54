import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilityMask, DOCKER_DEFAULT_CAPABILITIES, capabilityNumber } from './capabilities.js';
import { compileConfig, type CgroupPlacement, resolveCapabilities, rlimitNumber } from './config.js';
import { containerError } from './errors.js';
import { parseMountOptions } from './mount-options.js';
import type { ContainerSpec } from './spec.js';
import { resolveUser } from './user.js';

describe('capabilities', () => {
  it("encodes Docker's default set as 00000000a80425fb", () => {
    expect(capabilityMask(DOCKER_DEFAULT_CAPABILITIES).toString(16)).toBe('a80425fb');
    expect(capabilityNumber('net_admin')).toBe(12);
    expect(() => capabilityNumber('CAP_FLY')).toThrow('Unknown capability: "CAP_FLY"');
  });

  it('intersects privileged and asked sets with the host bounding set', () => {
    const host = 0x1fffeffffffn; // CAP_SYS_RESOURCE (24) missing
    expect(resolveCapabilities({ privileged: true }, host).effective).toBe(host);
    const asked = resolveCapabilities({ capabilities: { bounding: ['SYS_RESOURCE', 'CHOWN'], effective: ['CHOWN'], permitted: ['CHOWN'], inheritable: [], ambient: [] } }, host);
    expect(asked.bounding).toBe(1n);
  });
});

describe('config records', () => {
  const cgroup: CgroupPlacement = {
    version: 1,
    paths: { memory: '/sys/fs/cgroup/memory/t/c', cpu: '/sys/fs/cgroup/cpu/t/c' },
    procsFiles: ['/sys/fs/cgroup/memory/t/c/cgroup.procs'],
    oomFile: '/sys/fs/cgroup/memory/t/c/memory.oom_control',
  };

  const records = (buf: Buffer) => buf.toString('utf8').split('\0').slice(0, -1);

  it('lists namespaces, mounts, devices, masks and process settings in order', () => {
    const r = records(
      compileConfig({
        spec: { rootfs: '/r', args: ['sh', '-c', 'x'], hostname: 'h', mounts: [{ type: 'bind', source: '/data', destination: '/data', options: ['ro'] }], rlimits: [{ type: 'nofile', soft: 1, hard: 2 }] },
        user: { uid: 1, gid: 2, additionalGids: [3, 4] },
        cgroup,
      }).toBuffer(),
    );
    expect(r.slice(0, 10)).toEqual(['rootfs', '/r', 'arg', 'sh', 'arg', '-c', 'arg', 'x', 'cwd', '/']);
    const clones = r.flatMap((v, i) => (v === 'clone' ? [r[i + 1]] : []));
    expect(clones).toEqual(['mnt', 'uts', 'ipc', 'pid', 'net']);
    // the bind is recursive and private by default, and read-only as asked
    const bind = r.indexOf('/data');
    expect(r.slice(bind - 1, bind + 5)).toEqual(['mount', '/data', '/data', '', String(0x1 | 0x1000 | 0x4000 | 0x40000), '']);
    expect(r.join(' ')).toContain('mknod /dev/null 20666 1 3 0 0');
    expect(r.join(' ')).toContain('masked /proc/kcore');
    expect(r.join(' ')).toContain('readonly /proc/sys');
    expect(r.join(' ')).toContain('rlimit 7 1 2');
    expect(r.join(' ')).toContain('user 1 2 3,4');
    expect(r.join(' ')).toContain('mount /sys/fs/cgroup/memory/t/c /sys/fs/cgroup/memory');
  });

  it('binds a v2 cgroup directory itself at /sys/fs/cgroup, read-only', () => {
    const v2: CgroupPlacement = { version: 2, paths: { unified: '/sys/fs/cgroup/unified/t/c' }, procsFiles: ['/sys/fs/cgroup/unified/t/c/cgroup.procs'], oomFile: undefined };
    const r = records(compileConfig({ spec: { rootfs: '/r', args: ['x'] }, user: { uid: 0, gid: 0 }, cgroup: v2 }).toBuffer());
    const at = r.indexOf('/sys/fs/cgroup/unified/t/c');
    expect(r.slice(at - 1, at + 5)).toEqual(['mount', '/sys/fs/cgroup/unified/t/c', '/sys/fs/cgroup', '', String(0x1000 | 0x2 | 0x4 | 0x8 | 0x1), '']);
    expect(r.filter((v) => v === 'tmpfs' && r[r.indexOf(v) + 1] === '/sys/fs/cgroup')).toEqual([]);
    expect(r.join(' ')).toContain('cgroup_procs /sys/fs/cgroup/unified/t/c/cgroup.procs');
    expect(r).not.toContain('oom_file');
  });

  it("sets names only in the container's own UTS namespace, and binds the host's mqueue to a user namespace on the host's IPC", () => {
    const maps = [{ containerId: 0, hostId: 100000, size: 65536 }];
    const compile = (namespaces: ContainerSpec['namespaces']) =>
      records(compileConfig({ spec: { rootfs: '/r', args: ['x'], hostname: 'h', domainname: 'd', namespaces, uidMappings: maps, gidMappings: maps }, user: { uid: 0, gid: 0 }, cgroup }).toBuffer()).join(' ');
    expect(compile({})).toContain('hostname h domainname d');
    expect(compile({ uts: { mode: 'host' } })).not.toContain('hostname');
    expect(compile({ uts: { mode: 'join', path: '/proc/1/ns/uts' } })).not.toContain('domainname');
    expect(compile({ user: { mode: 'new' } })).toContain('mount mqueue /dev/mqueue mqueue');
    const hostIpc = compile({ user: { mode: 'new' }, ipc: { mode: 'host' } });
    if (existsSync('/dev/mqueue')) expect(hostIpc).toContain(`mount /dev/mqueue /dev/mqueue  ${0x2 | 0x4 | 0x8 | 0x1000 | 0x4000 | 0x40000} `);
    expect(hostIpc).not.toContain('mount mqueue');
    // a joined user namespace (another container's) may not mknod either, and needs no maps of its own
    const joined = compile({ user: { mode: 'join', path: '/proc/42/ns/user' } });
    expect(joined).toContain('join user /proc/42/ns/user');
    expect(joined).toContain('mount /dev/null /dev/null');
    expect(joined).not.toContain('mknod');
  });

  it('needs id maps for a user namespace and rejects NUL bytes', () => {
    expect(() => compileConfig({ spec: { rootfs: '/r', args: ['x'], namespaces: { user: { mode: 'new' } } }, user: { uid: 0, gid: 0 }, cgroup })).toThrow('uid and gid mappings');
    expect(() => compileConfig({ spec: { rootfs: '/r', args: ['a\0b'] }, user: { uid: 0, gid: 0 }, cgroup })).toThrow('NUL');
  });

  it('parses mount options into flags and data', () => {
    expect(parseMountOptions(['nosuid', 'ro', 'rw', 'mode=755', 'size=1k'])).toEqual({ flags: 2, data: 'mode=755,size=1k' });
    expect(rlimitNumber('RLIMIT_NPROC')).toBe(6);
    expect(() => rlimitNumber('bogus')).toThrow('invalid ulimit type: bogus');
  });
});

describe('user resolution', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("resolves Docker's -u forms against the rootfs", () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-lc-user-'));
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
    writeFileSync(join(dir, 'etc/group'), 'root:x:0:\napp:x:1000:\nwheel:x:10:app,root\n');
    expect(resolveUser(dir, undefined)).toEqual({ uid: 0, gid: 0, additionalGids: [10] });
    expect(resolveUser(dir, 'app')).toEqual({ uid: 1000, gid: 1000, additionalGids: [10] });
    expect(resolveUser(dir, 'app:root')).toEqual({ uid: 1000, gid: 0, additionalGids: [10] });
    expect(resolveUser(dir, '4242:77')).toEqual({ uid: 4242, gid: 77, additionalGids: [] });
    expect(() => resolveUser(dir as string, 'ghost')).toThrow('unable to find user ghost: no matching entries in passwd file');
    expect(() => resolveUser(dir as string, 'app:ghosts')).toThrow('unable to find group ghosts');
  });
});

describe('errors', () => {
  it("formats the native report with Docker's wording", () => {
    expect(containerError('127\t2\texec', 'foo').message).toBe('exec: "foo": executable file not found in $PATH');
    expect(containerError('127\t2\texec', '/bin/sh').message).toBe('exec: "/bin/sh": stat /bin/sh: no such file or directory');
    expect(containerError('126\t13\texec', '/etc/passwd').message).toBe('exec: "/etc/passwd": permission denied');
    expect(containerError('1\t1\tsethostname', 'x')).toMatchObject({ step: 'sethostname', code: 'EPERM', exitCode: 1, message: 'sethostname: operation not permitted (EPERM)' });
  });
});
