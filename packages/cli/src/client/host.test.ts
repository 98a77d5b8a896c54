import { describe, expect, it } from 'vitest';
import { endpointUrl, parseHost, resolveHost } from './host.js';

const tls = { verify: true, caFile: 'ca', certFile: 'c', keyFile: 'k' };

describe('resolveHost', () => {
  it('prefers -H, then BERTH_HOST, then DOCKER_HOST, then the default socket', () => {
    const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'tcp://d:1' };
    expect(resolveHost('unix:///h.sock', env)).toEqual({ url: 'unix:///h.sock', source: '-H' });
    expect(resolveHost(undefined, env)).toEqual({ url: 'unix:///b.sock', source: 'BERTH_HOST' });
    expect(resolveHost(undefined, { DOCKER_HOST: 'tcp://d:1' })).toEqual({ url: 'tcp://d:1', source: 'DOCKER_HOST' });
    expect(resolveHost(undefined, {})).toEqual({ url: 'unix:///run/berth/berth.sock', source: 'default' });
  });
});

describe('parseHost', () => {
  it('reads unix and tcp addresses with Docker defaults', () => {
    expect(parseHost('unix:///tmp/x.sock')).toEqual({ kind: 'unix', path: '/tmp/x.sock' });
    expect(parseHost('unix://')).toEqual({ kind: 'unix', path: '/run/berth/berth.sock' });
    expect(parseHost('tcp://10.0.0.1:4243')).toEqual({ kind: 'tcp', host: '10.0.0.1', port: 4243 });
    expect(parseHost('tcp://10.0.0.1')).toEqual({ kind: 'tcp', host: '10.0.0.1', port: 2375 });
    expect(parseHost('tcp://10.0.0.1', tls)).toEqual({ kind: 'tcp', host: '10.0.0.1', port: 2376, tls });
    expect(parseHost('tcp://:2375')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 2375 });
    expect(parseHost('localhost:5555')).toEqual({ kind: 'tcp', host: 'localhost', port: 5555 });
    expect(parseHost('tcp://[::1]:2375')).toEqual({ kind: 'tcp', host: '::1', port: 2375 });
  });

  it('refuses what it cannot read', () => {
    expect(() => parseHost('http://x:1')).toThrow('Invalid bind address format: http://x:1');
    expect(() => parseHost('tcp://x:99999')).toThrow('Invalid bind address format');
  });

  it('prints an endpoint back as a -H URL', () => {
    expect(endpointUrl(parseHost('tcp://[::1]:2375'))).toBe('tcp://[::1]:2375');
    expect(endpointUrl(parseHost('unix:///a'))).toBe('unix:///a');
  });
});
