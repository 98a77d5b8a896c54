import { describe, expect, it } from 'vitest';
import { macFromIPv4, parseCidr } from './netlink-ip.js';

describe('macFromIPv4', () => {
  it("follows Docker's 02:42 + IPv4 bytes rule", () => {
    expect(macFromIPv4('172.17.0.2')).toBe('02:42:ac:11:00:02');
    expect(macFromIPv4('10.213.255.1')).toBe('02:42:0a:d5:ff:01');
  });

  it('refuses anything but IPv4', () => {
    expect(() => macFromIPv4('fd00::1')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    expect(() => macFromIPv4('300.1.1.1')).toThrow(/not an IPv4 address/);
  });
});

describe('parseCidr', () => {
  it('splits address and prefix length', () => {
    expect(parseCidr('10.213.4.2/24')).toEqual({ address: '10.213.4.2', prefixLen: 24, family: 4 });
    expect(parseCidr('fd00:213::1/64')).toEqual({ address: 'fd00:213::1', prefixLen: 64, family: 6 });
  });

  it('takes a bare address as a host prefix', () => {
    expect(parseCidr('10.0.0.1').prefixLen).toBe(32);
    expect(parseCidr('::1').prefixLen).toBe(128);
  });

  it('refuses bad prefixes and addresses', () => {
    for (const bad of ['10.0.0.1/33', '10.0.0.1/', '10.0.0.1/-1', '10.0.0.1/2x', 'fd00::1/129', 'eth0/24', '']) {
      expect(() => parseCidr(bad), bad).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    }
  });
});
