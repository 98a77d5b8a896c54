import { describe, expect, it } from 'vitest';
import { Router } from './router.js';
import type { Route } from './router.js';

const noop: Route['handler'] = () => undefined;

describe('Router', () => {
  const routes: Route[] = [
    { method: 'GET', path: '/images/json', handler: noop },
    { method: 'GET', path: '/images/{name:.*}/json', handler: noop },
    { method: 'POST', path: '/containers/{id}/start', handler: noop },
    { method: 'GET', path: '/exec/{id:[0-9a-f]+}/json', handler: noop },
  ];
  const router = new Router(routes);

  it('matches one-segment parameters', () => {
    expect(router.match('POST', '/containers/abc123/start')?.params).toEqual({ id: 'abc123' });
    expect(router.match('POST', '/containers/a/b/start')).toBeUndefined();
  });

  it('lets {name:.*} span slashes, as image names do', () => {
    const m = router.match('GET', '/images/library/busybox:latest/json');
    expect(m?.route).toBe(routes[1]);
    expect(m?.params).toEqual({ name: 'library/busybox:latest' });
  });

  it('tries routes in registration order', () => {
    expect(router.match('GET', '/images/json')?.route).toBe(routes[0]);
  });

  it('honours custom expressions and the method', () => {
    expect(router.match('GET', '/exec/00ff/json')?.params).toEqual({ id: '00ff' });
    expect(router.match('GET', '/exec/zz/json')).toBeUndefined();
    expect(router.match('GET', '/containers/abc/start')).toBeUndefined();
  });

  it('treats dots in literal paths literally', () => {
    const r = new Router([{ method: 'GET', path: '/a.b', handler: noop }]);
    expect(r.match('GET', '/axb')).toBeUndefined();
    expect(r.match('GET', '/a.b')).toBeDefined();
  });
});
