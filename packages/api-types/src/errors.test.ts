import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ConflictError,
  containerNameConflict,
  ForbiddenError,
  InvalidParameterError,
  noSuchContainer,
  noSuchImage,
  NotFoundError,
  NotModifiedError,
  statusCodeOf,
  SystemError,
  UnauthorizedError,
} from './errors.js';

describe('typed errors', () => {
  it('carry their HTTP status and name', () => {
    const cases: [ApiError, number][] = [
      [new InvalidParameterError('x'), 400],
      [new UnauthorizedError('x'), 401],
      [new ForbiddenError('x'), 403],
      [new NotFoundError('x'), 404],
      [new ConflictError('x'), 409],
      [new NotModifiedError('x'), 304],
      [new SystemError('x'), 500],
    ];
    for (const [err, status] of cases) {
      expect(err.statusCode).toBe(status);
      expect(statusCodeOf(err)).toBe(status);
      expect(err).toBeInstanceOf(Error);
    }
    expect(new ConflictError('x').name).toBe('ConflictError');
    expect(statusCodeOf(new Error('boom'))).toBe(500);
  });

  it("words the common ones as Docker does", () => {
    expect(noSuchContainer('web').message).toBe('No such container: web');
    expect(noSuchContainer('web').statusCode).toBe(404);
    expect(noSuchImage('busybox:latest').message).toBe('No such image: busybox:latest');
    const id = 'a'.repeat(64);
    const msg = `Conflict. The container name "/web" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`;
    expect(containerNameConflict('web', id).message).toBe(msg);
    expect(containerNameConflict('/web', id).message).toBe(msg);
  });
});
