import { describe, expect, it } from 'vitest';
import {
  checkApiVersion,
  compareVersions,
  DEFAULT_API_VERSION,
  splitVersionPrefix,
  versionAtLeast,
  versionLessThan,
} from './versions.js';

describe('API versions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('1.9', '1.19')).toBe(-1);
    expect(compareVersions('1.44', '1.44')).toBe(0);
    expect(compareVersions('1.44', '1.4')).toBe(1);
    expect(compareVersions('1', '1.0')).toBe(0);
    expect(versionLessThan('1.23', '1.24')).toBe(true);
    expect(versionAtLeast('1.24', '1.24')).toBe(true);
    expect(DEFAULT_API_VERSION).toBe('1.44');
  });

  it('splits the /vX.Y prefix', () => {
    expect(splitVersionPrefix('/v1.19/containers/json')).toEqual({ version: '1.19', path: '/containers/json' });
    expect(splitVersionPrefix('/containers/json')).toEqual({ version: undefined, path: '/containers/json' });
    expect(splitVersionPrefix('/v1.44')).toEqual({ version: '1.44', path: '/' });
    expect(splitVersionPrefix('/volumes')).toEqual({ version: undefined, path: '/volumes' });
  });

  it("refuses versions outside 1.12..1.44 in Docker's words", () => {
    expect(checkApiVersion('1.12')).toBeUndefined();
    expect(checkApiVersion('1.44')).toBeUndefined();
    expect(checkApiVersion('1.45')).toBe('client version 1.45 is too new. Maximum supported API version is 1.44');
    expect(checkApiVersion('1.11')).toBe(
      'client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version',
    );
    expect(checkApiVersion('1.x')).toBe('invalid API version: 1.x');
  });
});
