import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunE2E, TestDaemon, type Result } from '../test-support/daemon.js';

// The daemon runs in a network namespace of its own: its bridge, veths, iptables rules and
// proxies never touch the host's network. `host` is an address of that namespace standing
// for the host's own address (on a veth of its own), 127.0.0.1 is its loopback.
const HOST_IP = '198.51.100.10';
const WEB = ['sh', '-c', 'mkdir -p /www && echo hello from $(hostname) > /www/index.html && exec httpd -f -p 80 -h /www'];

describe.skipIf(!canRunE2E)('networking: the bridge, ports, modes (daemon in its own netns)', { timeout: 120_000 }, () => {
  let d: TestDaemon;
  const ns = (...args: string[]): string => execFileSync('ip', ['-n', d.netns ?? '', ...args], { encoding: 'utf8' });
  // Node's fetch from inside the daemon's namespace: the body, or '' when nothing answers.
  const get = (url: string): Promise<Result> =>
    d.inNetns(process.execPath, ['-e', `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(3000) }).then(async (r) => process.stdout.write(await r.text()), () => process.exit(1))`]);
  const fetch = async (url: string): Promise<string> => {
    for (let i = 0; i < 20; i++) {
      const r = await get(url);
      if (r.code === 0) return r.stdout;
      await new Promise((res) => setTimeout(res, 200));
    }
    return '';
  };

  beforeAll(async () => {
    d = await TestDaemon.start({ netns: true });
    ns('link', 'add', 'host0', 'type', 'veth', 'peer', 'name', 'host0p');
    ns('addr', 'add', `${HOST_IP}/24`, 'dev', 'host0');
    ns('link', 'set', 'host0', 'up');
    await d.importBusybox();
  }, 60_000);

  afterAll(async () => {
    const netns = d?.netns;
    expect(await d?.close()).toEqual({ mounts: [], cgroups: [] });
    if (netns) expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(netns);
  }, 60_000);

  it('puts containers on berth0 with addresses from 172.17.0.0/16 and MACs from them; -p answers on 127.0.0.1 and the host address', async () => {
    expect(ns('-4', 'addr', 'show', 'berth0')).toContain('inet 172.17.42.1/16');
    const run = await d.docker('run', '-d', '--name', 'web', '-p', '8080:80', 'busybox', ...WEB);
    expect(run.code).toBe(0);
    const ip = (await d.docker('inspect', '-f', '{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.MacAddress}} {{.NetworkSettings.IPPrefixLen}}', 'web')).stdout.trim();
    expect(ip).toBe('172.17.0.1 172.17.42.1 02:42:ac:11:00:01 16');
    const ports = JSON.parse((await d.docker('inspect', '-f', '{{json .NetworkSettings.Ports}}', 'web')).stdout);
    expect(ports).toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] });
    expect(await fetch('http://127.0.0.1:8080/')).toMatch(/^hello from [0-9a-f]{12}\n$/);
    expect(await fetch(`http://${HOST_IP}:8080/`)).toMatch(/^hello from/);
    expect(await fetch('http://172.17.0.1:80/')).toMatch(/^hello from/);
    expect((await d.docker('ps', '--format', '{{.Ports}}', '-f', 'name=web')).stdout).toBe('0.0.0.0:8080->80/tcp\n');
    expect((await d.docker('port', 'web')).stdout).toBe('80/tcp -> 0.0.0.0:8080\n');
    expect((await d.berth('ps')).stdout).toMatch(/ 0\.0\.0\.0:8080->80\/tcp +web +\n/);
    expect(await d.berth('port', 'web', '80')).toEqual({ code: 0, stdout: '0.0.0.0:8080\n', stderr: '' });
  });

  it('-p in the book\'s forms: ip:host:container, ip::container, ranges, /udp', async () => {
    const r = await d.docker('run', '-d', '--name', 'forms', '-p', '127.0.0.1:8181:80', '-p', '127.0.0.1::81', '-p', '8200-8201:82-83', '-p', '5353:53/udp', 'busybox', ...WEB);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = (await d.docker('port', 'forms')).stdout.split('\n').filter(Boolean).sort();
    expect(lines).toEqual([
      '53/udp -> 0.0.0.0:5353',
      '80/tcp -> 127.0.0.1:8181',
      expect.stringMatching(/^81\/tcp -> 127\.0\.0\.1:(49(1[5-9]\d|[2-9]\d\d)|5\d{4}|6[0-5]\d{3})$/),
      '82/tcp -> 0.0.0.0:8200',
      '83/tcp -> 0.0.0.0:8201',
    ]);
    expect(await fetch('http://127.0.0.1:8181/')).toMatch(/^hello from/);
    // bound to 127.0.0.1 only: the host's other address does not answer
    expect(await get(`http://${HOST_IP}:8181/`)).toMatchObject({ code: 1 });
    expect(await d.docker('port', 'forms', '53/udp')).toMatchObject({ stdout: '0.0.0.0:5353\n' });
    expect(await d.docker('port', 'forms', '99')).toMatchObject({ code: 1, stderr: expect.stringContaining('No public port') });
    expect((await d.docker('run', '--rm', '-p', '8181:80', 'busybox', 'true')).stderr).toContain('port is already allocated');
    expect((await d.docker('rm', '-f', 'forms')).code).toBe(0);
  });

  it('lets one container reach another by IP', async () => {
    const r = await d.docker('run', '--rm', 'busybox', 'wget', '-q', '-O', '-', 'http://172.17.0.1/');
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^hello from/) });
    const own = await d.docker('run', '--rm', 'busybox', 'sh', '-c', 'ip -4 addr show eth0; ip route; cat /etc/hosts');
    expect(own.stdout).toMatch(/inet 172\.17\.0\.\d+\/16/);
    expect(own.stdout).toContain('default via 172.17.42.1 dev eth0');
    expect(own.stdout).toMatch(/172\.17\.0\.\d+\t[0-9a-f]{12}\n/);
  });

  it('-P publishes exposed ports in 49153-65535 and port prints them', async () => {
    expect((await d.docker('run', '-d', '--name', 'pall', '-P', '--expose', '80', '--expose', '53/udp', 'busybox', ...WEB)).code).toBe(0);
    const out = (await d.docker('port', 'pall')).stdout;
    const m = [...out.matchAll(/^(\d+\/(?:tcp|udp)) -> 0\.0\.0\.0:(\d+)$/gm)];
    expect(m.map((x) => x[1]).sort()).toEqual(['53/udp', '80/tcp']);
    for (const x of m) expect(Number(x[2])).toBeGreaterThanOrEqual(49153);
    const tcp = m.find((x) => x[1] === '80/tcp')?.[2];
    expect((await d.docker('port', 'pall', '80')).stdout).toBe(`0.0.0.0:${tcp}\n`);
    expect(await fetch(`http://127.0.0.1:${tcp}/`)).toMatch(/^hello from/);
  });

  it('--net none has only lo; --net host shares the host stack; --net container: shares a container stack', async () => {
    const none = await d.docker('run', '--rm', '--net', 'none', 'busybox', 'ip', '-o', 'link');
    expect(none.stdout.trim().split('\n').map((l) => l.split(':')[1]?.trim())).toEqual(['lo']);
    const host = await d.docker('run', '--rm', '--net', 'host', 'busybox', 'ip', '-o', '-4', 'addr');
    expect(host.stdout).toContain(HOST_IP);
    expect(host.stdout).toContain('berth0');
    const shared = await d.docker('run', '--rm', '--net', 'container:web', 'busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1:80/');
    expect(shared).toMatchObject({ code: 0, stdout: expect.stringMatching(/^hello from/) });
  });

  it('--dns, --dns-search, --add-host and --mac-address land in the container', async () => {
    const r = await d.docker(
      'run', '--rm', '--dns', '10.9.9.9', '--dns-search', 'example.com', '--add-host', 'db:10.1.2.3', '--mac-address', '02:42:12:34:56:78', '-h', 'box',
      'busybox', 'sh', '-c', 'cat /etc/resolv.conf /etc/hosts /etc/hostname; cat /sys/class/net/eth0/address',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('search example.com\nnameserver 10.9.9.9\n');
    expect(r.stdout).toContain('10.1.2.3\tdb\n');
    expect(r.stdout).toMatch(/172\.17\.0\.\d+\tbox\n/);
    expect(r.stdout).toContain('box\n02:42:12:34:56:78\n');
  });

  it('--link gives the env vars and a hosts entry, updated when the linked container comes back with another address', async () => {
    expect((await d.docker('run', '-d', '--name', 'db', '-e', 'SECRET=s3', '--expose', '6379', '--expose', '80', 'busybox', ...WEB)).code).toBe(0);
    const dbIp = (await d.docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'db')).stdout.trim();
    const r = await d.docker('run', '--name', 'app', '--link', 'db:redis', 'busybox', 'sh', '-c', 'env | grep ^REDIS_ | sort; cat /etc/hosts; wget -q -O - http://redis/');
    expect(r.code).toBe(0);
    const hostname = (await d.docker('inspect', '-f', '{{.Config.Hostname}}', 'db')).stdout.trim();
    const env = r.stdout.split('\n').filter((l) => l.startsWith('REDIS_'));
    expect(env).toEqual([
      'REDIS_ENV_SECRET=s3',
      'REDIS_NAME=/app/redis',
      `REDIS_PORT=tcp://${dbIp}:80`,
      `REDIS_PORT_6379_TCP=tcp://${dbIp}:6379`,
      `REDIS_PORT_6379_TCP_ADDR=${dbIp}`,
      'REDIS_PORT_6379_TCP_PORT=6379',
      'REDIS_PORT_6379_TCP_PROTO=tcp',
      `REDIS_PORT_80_TCP=tcp://${dbIp}:80`,
      `REDIS_PORT_80_TCP_ADDR=${dbIp}`,
      'REDIS_PORT_80_TCP_PORT=80',
      'REDIS_PORT_80_TCP_PROTO=tcp',
    ]);
    expect(r.stdout).toContain(`${dbIp}\tredis ${hostname} db\n`);
    expect(r.stdout).toMatch(/hello from/);
    expect((await d.docker('inspect', '-f', '{{json .HostConfig.Links}}', 'app')).stdout.trim()).toBe('["/db:/app/redis"]');
    expect((await d.docker('ps', '-a', '--format', '{{.Names}}', '-f', 'name=db')).stdout).toMatch(/db/);
    expect((await d.docker('rm', 'app')).code).toBe(0);

    // a parent that keeps running sees the child's new address after the child restarts elsewhere
    expect((await d.docker('run', '-d', '--name', 'app2', '--link', 'db:db', 'busybox', 'sleep', '60')).code).toBe(0);
    expect((await d.docker('stop', '-t', '1', 'db')).code).toBe(0);
    expect((await d.docker('run', '-d', '--name', 'squatter', 'busybox', 'sleep', '60')).code).toBe(0);
    expect((await d.docker('start', 'db')).code).toBe(0);
    const newIp = (await d.docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'db')).stdout.trim();
    expect(newIp).not.toBe(dbIp);
    // the file bind-mounted over the running container's /etc/hosts
    const hostsPath = (await d.docker('inspect', '-f', '{{.HostsPath}}', 'app2')).stdout.trim();
    expect(readFileSync(hostsPath, 'utf8')).toContain(`${newIp}\tdb ${hostname}\n`);
    expect((await d.docker('rm', '-f', 'app2', 'squatter')).code).toBe(0);
  });

  it('keeps addresses and published ports across a daemon restart', async () => {
    expect((await d.docker('run', '-d', '--name', 'keep', '-p', '8090:80', 'busybox', ...WEB)).code).toBe(0);
    const ip = (await d.docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'keep')).stdout.trim();
    await d.stop();
    await d.restart();
    expect((await d.docker('inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'keep')).stdout.trim()).toBe(ip);
    expect(await fetch('http://127.0.0.1:8090/')).toMatch(/^hello from/);
    expect(await fetch(`http://${HOST_IP}:8090/`)).toMatch(/^hello from/);
    const other = await d.docker('run', '--rm', 'busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0');
    expect(other.stdout).toMatch(/inet 172\.17\.0\.\d+/);
    expect(other.stdout).not.toContain(`inet ${ip}/`);
    // a stopped container's settings are emptied, never null
    expect((await d.docker('stop', '-t', '1', 'keep')).code).toBe(0);
    const stopped = JSON.parse((await d.docker('inspect', '-f', '{{json .NetworkSettings}}', 'keep')).stdout);
    expect(stopped).toMatchObject({ IPAddress: '', Ports: {}, Networks: { bridge: expect.objectContaining({ IPAddress: '', EndpointID: '' }) } });
    expect((await d.docker('rm', '-f', 'keep', 'db')).code).toBe(0);
  });

  it('user-defined networks: create, ls, inspect, name and alias resolution, connect, disconnect, rm, prune', async () => {
    const ls = await d.docker('network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}');
    expect(ls.stdout.split('\n').filter(Boolean).sort()).toEqual(['bridge bridge local', 'host host local', 'none null local']);
    const created = await d.docker('network', 'create', '--subnet', '10.77.0.0/24', '--label', 'team=a', 'appnet');
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[0-9a-f]{64}\n$/) });
    const id = created.stdout.trim();
    const inspected = JSON.parse((await d.docker('network', 'inspect', 'appnet')).stdout)[0];
    expect(inspected).toMatchObject({ Name: 'appnet', Id: id, Driver: 'bridge', Scope: 'local', Labels: { team: 'a' }, IPAM: { Config: [{ Subnet: '10.77.0.0/24', Gateway: '10.77.0.1' }] } });
    expect(ns('-4', 'addr', 'show', `br-${id.slice(0, 12)}`)).toContain('inet 10.77.0.1/24');
    expect(await d.docker('network', 'inspect', 'nosuch')).toMatchObject({ code: 1, stderr: expect.stringContaining('network nosuch not found') });
    expect((await d.docker('network', 'ls', '--filter', 'label=team=a', '--format', '{{.Name}}')).stdout).toBe('appnet\n');
    expect((await d.docker('network', 'ls', '--filter', 'driver=null', '--format', '{{.Name}}')).stdout).toBe('none\n');
    expect((await d.docker('network', 'ls', '--filter', 'type=custom', '-q')).stdout).toBe(`${id.slice(0, 12)}\n`);
    expect((await d.docker('network', 'create', 'appnet')).stderr).toContain('network with name appnet already exists');

    expect((await d.docker('run', '-d', '--name', 'svc', '--network', 'appnet', '--network-alias', 'api', 'busybox', ...WEB)).code).toBe(0);
    const client = await d.docker('run', '--rm', '--network', 'appnet', 'busybox', 'sh', '-c', 'cat /etc/resolv.conf; wget -q -O - http://svc/ && wget -q -O - http://api/ && nslookup svc');
    expect(client.code).toBe(0);
    expect(client.stdout).toContain('nameserver 10.77.0.1\n');
    expect(client.stdout.match(/hello from/g)).toHaveLength(2);
    expect(client.stdout).toMatch(/Address:? .*10\.77\.0\.2/);
    const nets = JSON.parse((await d.docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', 'svc')).stdout);
    expect(nets).toEqual({ appnet: expect.objectContaining({ NetworkID: id, IPAddress: '10.77.0.2', IPPrefixLen: 24, Gateway: '10.77.0.1', Aliases: ['api'] }) });

    const fixed = await d.docker('run', '--rm', '--network', 'appnet', '--ip', '10.77.0.50', 'busybox', 'ip', '-4', '-o', 'addr', 'show', 'eth0');
    expect(fixed).toMatchObject({ code: 0, stdout: expect.stringContaining('inet 10.77.0.50/24') });
    expect((await d.docker('run', '--rm', '--ip', '172.17.0.99', 'busybox', 'true')).stderr).toContain('user specified IP address is supported on user defined networks only');

    // a container on the default bridge joins the network as eth1 and leaves it
    expect((await d.docker('run', '-d', '--name', 'multi', 'busybox', 'sleep', '60')).code).toBe(0);
    expect(await d.docker('network', 'connect', 'appnet', 'multi')).toMatchObject({ code: 0, stderr: '' });
    const both = JSON.parse((await d.docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', 'multi')).stdout);
    expect(Object.keys(both).sort()).toEqual(['appnet', 'bridge']);
    expect(JSON.parse((await d.docker('network', 'inspect', 'appnet')).stdout)[0].Containers).toHaveProperty([(await d.docker('inspect', '-f', '{{.Id}}', 'multi')).stdout.trim()]);
    expect(await d.docker('network', 'rm', 'appnet')).toMatchObject({ code: 1, stderr: expect.stringContaining('has active endpoints') });
    expect(await d.docker('network', 'disconnect', 'appnet', 'multi')).toMatchObject({ code: 0 });
    expect(Object.keys(JSON.parse((await d.docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', 'multi')).stdout))).toEqual(['bridge']);
    expect((await d.docker('network', 'rm', 'bridge')).stderr).toContain('bridge is a pre-defined network and cannot be removed');

    expect((await d.docker('rm', '-f', 'svc', 'multi')).code).toBe(0);
    expect((await d.docker('network', 'create', 'spare')).code).toBe(0);
    // a stopped container does not keep its network, but cannot start without it
    expect((await d.docker('create', '--name', 'orphan', '--network', 'appnet', 'busybox', 'true')).code).toBe(0);
    expect(await d.docker('network', 'rm', 'appnet')).toMatchObject({ code: 0, stdout: 'appnet\n' });
    expect(await d.docker('start', 'orphan')).toMatchObject({ code: 1, stderr: expect.stringContaining(`network ${id} not found`) });
    expect((await d.docker('rm', 'orphan')).code).toBe(0);
    expect(ns('-o', 'link')).not.toContain(`br-${id.slice(0, 12)}`);
    expect((await d.docker('network', 'prune', '-f')).stdout).toContain('spare');
    expect((await d.docker('network', 'ls', '-q')).stdout.trim().split('\n')).toHaveLength(3);
  });

  it('berth network commands', async () => {
    const id = (await d.berth('network', 'create', '--subnet', '10.78.0.0/24', 'bnet')).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ls = (await d.berth('network', 'ls')).stdout.split('\n');
    expect(ls[0]).toMatch(/^NETWORK ID +NAME +DRIVER +SCOPE$/);
    expect(ls).toContainEqual(expect.stringMatching(new RegExp(`^${id.slice(0, 12)} +bnet +bridge +local$`)));
    expect(JSON.parse((await d.berth('network', 'inspect', 'bnet')).stdout)[0].IPAM.Config).toEqual([{ Subnet: '10.78.0.0/24', Gateway: '10.78.0.1' }]);
    expect(await d.berth('network', 'rm', 'bnet')).toEqual({ code: 0, stdout: 'bnet\n', stderr: '' });
    expect(await d.berth('network', 'inspect', 'bnet')).toMatchObject({ code: 1, stderr: 'Error: No such network: bnet\n' });
  });

  it('leaves no veth, rule or proxy after rm', async () => {
    expect((await d.docker('rm', '-f', 'web', 'pall')).code).toBe(0);
    await new Promise((res) => setTimeout(res, 500));
    expect(ns('-o', 'link').split('\n').filter((l) => / veth/.test(l))).toEqual([]);
    const nat = execFileSync('ip', ['netns', 'exec', d.netns ?? '', 'iptables', '-w', '-t', 'nat', '-S', 'BERTH-berth0'], { encoding: 'utf8' });
    expect(nat).not.toContain('DNAT');
    expect(await get('http://127.0.0.1:8080/')).toMatchObject({ code: 1 });
  });
});
