import { describe, expect, it } from 'vitest';
import { HttpError, statusOf } from './errors.js';

describe('statusOf', () => {
  it('uses the statusCode a typed error carries', () => {
    expect(statusOf(new HttpError(404, 'No such container: x'))).toBe(404);
    expect(statusOf(Object.assign(new Error('conflict'), { statusCode: 409 }))).toBe(409);
  });

  it('answers 500 for anything else', () => {
    expect(statusOf(new Error('boom'))).toBe(500);
    expect(statusOf(Object.assign(new Error('odd'), { statusCode: 200 }))).toBe(500);
    expect(statusOf('text')).toBe(500);
  });
});
