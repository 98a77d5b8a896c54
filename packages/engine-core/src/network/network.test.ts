import { describe, expect, it } from 'vitest';
import { pickSubnet, chainName } from './bridge.js';
import { AddressPool } from './ipam.js';
import { ipToNumber, numberToIp, parseCidr4 } from './ipv4.js';
import { linkEnv, linkHostsEntry, parseLink, storedLink } from './links.js';
import { portRequests } from './ports.js';
import { validateNetworkOptions } from './validate.js';
import { networkSettings, type ContainerNetworks, type NetworkRef } from './settings.js';

const pool = (cidr: string, fixed?: string): AddressPool => {
  const { ip, subnet } = parseCidr4(cidr);
  return new AddressPool(subnet, ip, fixed ? parseCidr4(fixed).subnet : subnet);
};

describe('IPv4 addresses', () => {
  it('converts and parses CIDRs', () => {
    expect(numberToIp(ipToNumber('172.17.42.1'))).toBe('172.17.42.1');
    expect(parseCidr4('172.17.42.1/16').subnet).toEqual({ network: ipToNumber('172.17.0.0'), prefixLen: 16 });
    expect(() => parseCidr4('172.17.42.1')).toThrow('invalid CIDR address: 172.17.42.1');
    expect(() => parseCidr4('1.2.3.4/33')).toThrow('invalid CIDR address');
  });
});

describe('AddressPool', () => {
  it('hands out the lowest free address, never the network, gateway or broadcast', () => {
    const p = pool('10.0.0.1/29');
    expect([p.allocate(), p.allocate(), p.allocate()]).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    p.release('10.0.0.3');
    expect(p.allocate()).toBe('10.0.0.3');
    expect([p.allocate(), p.allocate()]).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(() => p.allocate()).toThrow('no available IPv4 addresses');
  });

  it('starts at x.x.0.1 on the default bridge (gateway .42.1) and keeps reserved addresses', () => {
    const p = pool('172.17.42.1/16');
    p.reserve('172.17.0.1');
    expect(p.allocate()).toBe('172.17.0.2');
  });

  it('takes addresses from --fixed-cidr only', () => {
    const p = pool('172.17.42.1/16', '172.17.1.0/24');
    expect(p.allocate()).toBe('172.17.1.1');
    expect(p.allocate()).toBe('172.17.1.2');
  });

  it('gives a requested address once', () => {
    const p = pool('172.17.42.1/16');
    expect(p.allocate('172.17.0.9')).toBe('172.17.0.9');
    expect(() => p.allocate('172.17.0.9')).toThrow('Address already in use: 172.17.0.9');
    expect(() => p.allocate('10.0.0.1')).toThrow("Invalid address 10.0.0.1: It does not belong to any of this network's subnets");
  });
});

describe('the default bridge', () => {
  it('takes the first candidate that overlaps nothing in use', () => {
    expect(pickSubnet([])).toBe('172.17.42.1/16');
    expect(pickSubnet([parseCidr4('172.17.0.0/16').subnet, parseCidr4('10.0.0.0/8').subnet])).toBe('172.16.42.1/24');
    expect(() => pickSubnet([parseCidr4('0.0.0.0/1').subnet, parseCidr4('128.0.0.0/1').subnet])).toThrow('non-overlapping IPv4 address pool');
  });

  it('names its chain after the bridge', () => {
    expect(chainName('berth0')).toBe('BERTH-berth0');
  });
});

describe('portRequests', () => {
  it('joins exposed and bound ports, -P giving the exposed ones a random host port', () => {
    const bound = { '80/tcp': [{ HostIp: '', HostPort: '8080' }] };
    expect(portRequests({ '53/udp': {}, '80/tcp': {} }, bound, false)).toEqual([
      { key: '53/udp', proto: 'udp', containerPort: 53, bindings: null },
      { key: '80/tcp', proto: 'tcp', containerPort: 80, bindings: [{ HostIp: '', HostPort: '8080' }] },
    ]);
    expect(portRequests({ '22/tcp': {} }, {}, true)).toEqual([{ key: '22/tcp', proto: 'tcp', containerPort: 22, bindings: [{ HostIp: '', HostPort: '' }] }]);
    expect(() => portRequests({ 'x/tcp': {} }, {}, false)).toThrow('invalid port specification: "x/tcp"');
  });
});

describe('links', () => {
  const child = { name: '/db', ip: '172.17.0.5', hostname: 'abc123', exposedPorts: { '6379/tcp': {}, '80/tcp': {} }, env: ['PATH=/bin', 'PW=a=b', 'HOME=/root'] };

  it('parses the CLI and the stored forms', () => {
    expect(parseLink('db:redis')).toEqual({ name: 'db', alias: 'redis' });
    expect(parseLink('db')).toEqual({ name: 'db', alias: 'db' });
    expect(parseLink('/db:/web/redis')).toEqual({ name: 'db', alias: 'redis' });
    expect(storedLink('/db', '/web', 'redis')).toBe('/db:/web/redis');
    expect(() => parseLink('a:b:c')).toThrow('invalid link format: a:b:c');
  });

  it('gives docker 1.7 link env vars', () => {
    expect(linkEnv('/web', { alias: 'my-db', child })).toEqual([
      'MY_DB_PORT=tcp://172.17.0.5:80',
      'MY_DB_PORT_80_TCP=tcp://172.17.0.5:80',
      'MY_DB_PORT_80_TCP_ADDR=172.17.0.5',
      'MY_DB_PORT_80_TCP_PORT=80',
      'MY_DB_PORT_80_TCP_PROTO=tcp',
      'MY_DB_PORT_6379_TCP=tcp://172.17.0.5:6379',
      'MY_DB_PORT_6379_TCP_ADDR=172.17.0.5',
      'MY_DB_PORT_6379_TCP_PORT=6379',
      'MY_DB_PORT_6379_TCP_PROTO=tcp',
      'MY_DB_NAME=/web/my-db',
      'MY_DB_ENV_PW=a',
    ]);
  });

  it('gives the hosts line: alias, hostname, and the name when it differs', () => {
    expect(linkHostsEntry({ alias: 'redis', child })).toBe('172.17.0.5\tredis abc123 db');
    expect(linkHostsEntry({ alias: 'db', child })).toBe('172.17.0.5\tdb abc123');
  });
});

describe('networkSettings', () => {
  const nets: Record<string, NetworkRef> = {
    bridge: { id: 'id-bridge', name: 'bridge', builtin: true },
    none: { id: 'id-none', name: 'none', builtin: true },
    'id-app': { id: 'id-app', name: 'app', builtin: false },
  };
  const view = (mode: string, attachments: ContainerNetworks['attachments'], endpoints: ContainerNetworks['endpoints'] = []): ContainerNetworks => ({
    hostConfig: { NetworkMode: mode } as ContainerNetworks['hostConfig'],
    attachments,
    endpoints,
    network: (x) => nets[x] ?? Object.values(nets).find((n) => n.id === x),
  });

  it('is never null where Docker has {} and names the networks', () => {
    const s = networkSettings(view('default', [{ NetworkID: 'id-bridge', Aliases: [] }]), '');
    expect(s.Ports).toEqual({});
    expect(s.Networks).toEqual({ bridge: expect.objectContaining({ NetworkID: 'id-bridge', IPAddress: '', MacAddress: '', Aliases: null }) });
    expect(networkSettings(view('none', []), '').Networks).toEqual({ none: expect.objectContaining({ NetworkID: 'id-none' }) });
    expect(networkSettings(view('container:x', []), '').Networks).toEqual({});
  });

  it('fills the top-level addresses from the default bridge only, DNS names on user networks', () => {
    const ep = { NetworkID: 'id-app', EndpointID: 'e', ContainerID: 'c'.repeat(64), ContainerName: 'web', Aliases: ['api'], IfName: 'eth0', IPAddress: '10.0.0.2', IPPrefixLen: 24, Gateway: '10.0.0.1', MacAddress: 'm', Veth: 'v', Ports: { '80/tcp': null }, Mappings: [] };
    const s = networkSettings(view('app', [{ NetworkID: 'id-app', Aliases: ['api'] }], [ep]), '');
    expect(s.IPAddress).toBe('');
    expect(s.Ports).toEqual({ '80/tcp': null });
    expect(s.Networks['app']).toMatchObject({ IPAddress: '10.0.0.2', Aliases: ['api'], DNSNames: ['web', 'api', 'cccccccccccc'] });
  });
});

describe('validateNetworkOptions', () => {
  const h = (o: Record<string, unknown>): Parameters<typeof validateNetworkOptions>[1] =>
    ({ NetworkMode: 'default', Links: null, PublishAllPorts: false, PortBindings: {}, Dns: [], ExtraHosts: null, ...o }) as unknown as Parameters<typeof validateNetworkOptions>[1];
  const c = { Hostname: '', ExposedPorts: {} };

  it("refuses Docker's conflicts with container: and host modes, and warns about ports with host", () => {
    expect(validateNetworkOptions(c, h({}))).toEqual([]);
    expect(() => validateNetworkOptions({ ...c, Hostname: 'x' }, h({ NetworkMode: 'container:web' }))).toThrow('conflicting options: hostname and the network mode');
    expect(() => validateNetworkOptions(c, h({ NetworkMode: 'container:web', Dns: ['1.1.1.1'] }))).toThrow('conflicting options: dns and the network mode');
    expect(() => validateNetworkOptions(c, h({ NetworkMode: 'container:web', PublishAllPorts: true }))).toThrow('port publishing and the container type network mode');
    expect(() => validateNetworkOptions(c, h({ NetworkMode: 'host', Links: ['/db:/x/db'] }))).toThrow("host type networking can't be used with links");
    expect(validateNetworkOptions(c, h({ NetworkMode: 'host', PortBindings: { '80/tcp': [] } }))).toEqual(['Published ports are discarded when using host network mode']);
    expect(validateNetworkOptions({ ...c, Hostname: 'x' }, h({ NetworkMode: 'none' }))).toEqual([]);
  });
});
