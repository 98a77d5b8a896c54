import { describe, expect, it } from 'vitest';
import { basicHeader, credentialsOf, parseChallenges, TokenCache } from './auth.js';

describe('parseChallenges', () => {
  it('reads a Docker Hub Bearer challenge', () => {
    expect(
      parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'),
    ).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
    ]);
  });
  it('reads several challenges, unquoted values and escapes', () => {
    expect(parseChallenges(['Basic realm="Registry \\"Realm\\""', 'Bearer realm=https://t/x, service=svc'])).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "Realm"' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', service: 'svc' } },
    ]);
    expect(parseChallenges('Basic realm="a", Bearer realm="b"').map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(parseChallenges(undefined)).toEqual([]);
  });
});

describe('credentials', () => {
  it('come from username/password or the auth field', () => {
    expect(credentialsOf({ username: 'u', password: 'p' })).toEqual({ username: 'u', password: 'p' });
    expect(credentialsOf({ auth: Buffer.from('me:pa:ss').toString('base64') })).toEqual({ username: 'me', password: 'pa:ss' });
    expect(credentialsOf({ username: 'u' })).toBeUndefined();
    expect(basicHeader({ username: 'u', password: 'p' })).toBe('Basic dTpw');
  });
});

describe('TokenCache', () => {
  it('keeps tokens until shortly before they expire, at least 60 s', () => {
    const cache = new TokenCache();
    cache.set('a', 'tok', 300, 1_000_000);
    expect(cache.get('a', 1_000_000 + 290_000)).toBe('tok');
    expect(cache.get('a', 1_000_000 + 296_000)).toBeUndefined();
    cache.set('b', 'short', 10, 0);
    expect(cache.get('b', 50_000)).toBe('short');
    expect(cache.get('b', 56_000)).toBeUndefined();
  });
});
