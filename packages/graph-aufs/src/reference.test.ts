import { describe, expect, it } from 'vitest';
import { familiarString, formatReference, parseReference, ReservedNameError, validateRepoName, withDefaultTag } from './reference.js';

const full = (s: string) => formatReference(withDefaultTag(parseReference(s)));

describe('references', () => {
  it('normalises like Docker', () => {
    expect(full('busybox')).toBe('docker.io/library/busybox:latest');
    expect(full('user/app:1.0')).toBe('docker.io/user/app:1.0');
    expect(full('index.docker.io/library/busybox')).toBe('docker.io/library/busybox:latest');
    expect(full('localhost/app')).toBe('localhost/app:latest');
    expect(full('localhost:5000/ns/app:v2')).toBe('localhost:5000/ns/app:v2');
    expect(full('192.168.73.12:5001/tomcat')).toBe('192.168.73.12:5001/tomcat:latest');
    const d = `sha256:${'a'.repeat(64)}`;
    expect(full(`host:5000/ns/name:tag@${d}`)).toBe(`host:5000/ns/name:tag@${d}`);
    expect(full(`busybox@${d}`)).toBe(`docker.io/library/busybox@${d}`);
  });

  it('gives the familiar form back', () => {
    expect(familiarString(withDefaultTag(parseReference('busybox')))).toBe('busybox:latest');
    expect(familiarString(parseReference('docker.io/user/app:1'))).toBe('user/app:1');
    expect(familiarString(parseReference('host:5000/app:1'))).toBe('host:5000/app:1');
  });

  it("rejects bad names in Docker's words", () => {
    expect(() => parseReference('Busybox')).toThrow('invalid reference format: repository name (library/Busybox) must be lowercase');
    expect(() => parseReference('a'.repeat(64))).toThrow(`invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`);
    expect(() => parseReference('busy box')).toThrow('invalid reference format');
    expect(() => parseReference('busybox:')).toThrow('invalid reference format');
    expect(() => parseReference('busybox:-tag')).toThrow('invalid reference format');
    expect(() => parseReference(`${'a/'.repeat(130)}b`)).toThrow('repository name must not be more than 255 characters');
  });

  it("reserves scratch, in any spelling of Docker Hub's library", () => {
    for (const name of ['scratch', 'scratch:v1', 'docker.io/library/scratch', 'library/scratch']) {
      expect(() => validateRepoName(parseReference(name))).toThrow(new ReservedNameError('scratch'));
    }
    expect(new ReservedNameError('scratch').message).toBe("'scratch' is a reserved name");
    for (const name of ['scratchy', 'me/scratch', 'localhost:5000/scratch']) expect(() => validateRepoName(parseReference(name))).not.toThrow();
  });
});
