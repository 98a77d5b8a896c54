import { describe, expect, it } from 'vitest';
import { canonicalName, familiarName, familiarString, isRegistryHost, manifestReference, parseReference } from './reference.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  it.each([
    ['busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['busybox:1.36', { domain: 'docker.io', path: 'library/busybox', tag: '1.36' }],
    ['user/app', { domain: 'docker.io', path: 'user/app' }],
    ['localhost/app', { domain: 'localhost', path: 'app' }],
    ['localhost:5000/a/b:v2', { domain: 'localhost:5000', path: 'a/b', tag: 'v2' }],
    ['192.168.73.12:5001/library/ubuntu-dev', { domain: '192.168.73.12:5001', path: 'library/ubuntu-dev' }],
    ['index.docker.io/library/ubuntu', { domain: 'docker.io', path: 'library/ubuntu' }],
    ['registry.example.com/x', { domain: 'registry.example.com', path: 'x' }],
    [`busybox@${digest}`, { domain: 'docker.io', path: 'library/busybox', digest }],
    [`127.0.0.1:5000/a:t@${digest}`, { domain: '127.0.0.1:5000', path: 'a', tag: 't', digest }],
  ])('%s', (input, want) => expect(parseReference(input)).toEqual(want));

  it('uses the configured default registry without library/', () => {
    expect(parseReference('app', { defaultRegistry: 'mirror:5000' })).toEqual({ domain: 'mirror:5000', path: 'app' });
  });

  it.each([
    ['Ubuntu', 'invalid reference format: repository name must be lowercase'],
    ['a'.repeat(64), `Invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
    ['http://host/x', 'invalid reference format: repository name (http://host/x) must not contain a scheme'],
    ['-bad', 'invalid reference format'],
    ['x:bad tag', 'invalid reference format'],
    ['x@sha256:short', 'invalid reference format'],
  ])('refuses %s', (input, message) => expect(() => parseReference(input)).toThrow(message));
});

describe('names as Docker prints them', () => {
  it('familiar and canonical forms', () => {
    const official = parseReference('busybox:latest');
    expect(familiarName(official)).toBe('busybox');
    expect(familiarString(official)).toBe('busybox:latest');
    expect(canonicalName(official)).toBe('docker.io/library/busybox');
    const priv = parseReference('127.0.0.1:5000/team/app');
    expect(familiarName(priv)).toBe('127.0.0.1:5000/team/app');
    expect(canonicalName(priv)).toBe('127.0.0.1:5000/team/app');
    expect(familiarName(parseReference('user/app'))).toBe('user/app');
  });
  it('asks for latest by default, the digest when there is one', () => {
    expect(manifestReference(parseReference('busybox'))).toBe('latest');
    expect(manifestReference(parseReference(`busybox:1@${digest}`))).toBe(digest);
  });
  it('treats a first component with . or : or localhost as a host', () => {
    expect(['a.b', 'a:1', 'localhost', 'user'].map(isRegistryHost)).toEqual([true, true, true, false]);
  });
});
