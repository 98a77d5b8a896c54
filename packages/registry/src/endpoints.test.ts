import { describe, expect, it } from 'vitest';
import { authKeyFor, domainFromServerAddress, InsecureRegistries, resolveEndpoint } from './endpoints.js';

describe('endpoints', () => {
  it('sends docker.io to registry-1.docker.io over https', async () => {
    expect(await resolveEndpoint('docker.io', new InsecureRegistries())).toEqual({
      domain: 'docker.io',
      baseUrl: 'https://registry-1.docker.io',
      secure: true,
      official: true,
    });
  });

  it('treats loopback as insecure by default, others as secure', async () => {
    const none = new InsecureRegistries();
    expect(await resolveEndpoint('127.0.0.1:5000', none)).toMatchObject({ baseUrl: 'https://127.0.0.1:5000', secure: false });
    expect((await resolveEndpoint('127.8.9.10', none)).secure).toBe(false);
    expect((await resolveEndpoint('localhost:5000', none)).secure).toBe(false);
    expect((await resolveEndpoint('10.1.2.3:5000', none)).secure).toBe(true);
  });

  it('honours --insecure-registry hosts and CIDRs', async () => {
    const list = new InsecureRegistries(['10.0.0.0/8', 'reg.example.invalid:5000', 'fd00::/8']);
    expect(await list.isInsecure('10.1.2.3:5000')).toBe(true);
    expect(await list.isInsecure('11.1.2.3:5000')).toBe(false);
    expect(await list.isInsecure('reg.example.invalid:5000')).toBe(true);
    expect(await list.isInsecure('reg.example.invalid:6000')).toBe(false);
    expect(await list.isInsecure('[fd00::1]:5000')).toBe(true);
    expect(() => new InsecureRegistries(['10.0.0.0/x'])).toThrow('invalid CIDR: 10.0.0.0/x');
  });

  it('maps server addresses to hosts and config.json keys', () => {
    expect(domainFromServerAddress('')).toBe('docker.io');
    expect(domainFromServerAddress('https://index.docker.io/v1/')).toBe('docker.io');
    expect(domainFromServerAddress('index.docker.io')).toBe('docker.io');
    expect(domainFromServerAddress('https://localhost:5000/v2/')).toBe('localhost:5000');
    expect(authKeyFor('docker.io')).toBe('https://index.docker.io/v1/');
    expect(authKeyFor('localhost:5000')).toBe('localhost:5000');
  });
});
