import { describe, expect, it } from 'vitest';
import { compareVersions, unsupportedVersionMessage, versionAtLeast } from './version.js';

describe('API versions', () => {
  it('compares numerically, not as text', () => {
    expect(compareVersions('1.9', '1.12')).toBeLessThan(0);
    expect(compareVersions('1.44', '1.44')).toBe(0);
    expect(compareVersions('2.0', '1.44')).toBeGreaterThan(0);
    expect(versionAtLeast('1.42', '1.42')).toBe(true);
    expect(versionAtLeast('1.41', '1.42')).toBe(false);
  });

  it("refuses versions outside 1.12-1.44 with moby's words", () => {
    expect(unsupportedVersionMessage('1.11')).toBe(
      'client version 1.11 is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version',
    );
    expect(unsupportedVersionMessage('1.45')).toBe('client version 1.45 is too new. Maximum supported API version is 1.44');
    expect(unsupportedVersionMessage('1.12')).toBeUndefined();
    expect(unsupportedVersionMessage('1.19')).toBeUndefined();
    expect(unsupportedVersionMessage('1.44')).toBeUndefined();
  });
});
