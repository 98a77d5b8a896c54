import { describe, expect, it } from 'vitest';
import { errorFromResponse, networkErrorMessage } from './errors.js';

describe('registry error messages', () => {
  it('render distribution error codes as Docker does', () => {
    const e = errorFromResponse(401, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [] }] }), 'x');
    expect(e.message).toBe('unauthorized: authentication required');
    expect(e.status).toBe(401);
    expect(e.code).toBe('UNAUTHORIZED');
    expect(errorFromResponse(404, JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }), 'x').message).toBe(
      'manifest unknown: manifest unknown',
    );
    expect(errorFromResponse(401, '', 'x').message).toBe('unauthorized: authentication required');
    expect(errorFromResponse(502, 'bad gateway\n', 'x').message).toBe('error from registry: bad gateway');
  });

  it('words socket failures like Go net errors', () => {
    const err = (code: string) => Object.assign(new Error('x'), { cause: Object.assign(new Error(code), { code }) });
    expect(networkErrorMessage('GET', 'https://registry-1.docker.io/v2/', err('ENOTFOUND'))).toBe(
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
    );
    expect(networkErrorMessage('HEAD', 'http://10.0.0.1:5000/v2/', err('ETIMEDOUT'))).toBe(
      'Head "http://10.0.0.1:5000/v2/": dial tcp 10.0.0.1:5000: i/o timeout',
    );
  });
});
