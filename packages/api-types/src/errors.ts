/**
 * Typed errors of the Engine API (Docker's `errdefs` classes). Each carries the HTTP status the
 * API server answers with; the message is the `{"message": ...}` body.
 */
export abstract class ApiError extends Error {
  abstract readonly statusCode: number;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or a value is out of range. */
export class InvalidParameterError extends ApiError {
  readonly statusCode = 400;
}
/** 401 */
export class UnauthorizedError extends ApiError {
  readonly statusCode = 401;
}
/** 403 */
export class ForbiddenError extends ApiError {
  readonly statusCode = 403;
}
/** 404: no such container, image, exec instance, network or volume. */
export class NotFoundError extends ApiError {
  readonly statusCode = 404;
}
/** 409: the object is in a state that forbids the request, or a name is taken. */
export class ConflictError extends ApiError {
  readonly statusCode = 409;
}
/** 304: the request would change nothing (start a running container, stop a stopped one). */
export class NotModifiedError extends ApiError {
  readonly statusCode = 304;
}
/** 500: the engine failed. */
export class SystemError extends ApiError {
  readonly statusCode = 500;
}
/** 501 */
export class NotImplementedError extends ApiError {
  readonly statusCode = 501;
}
/** 503 */
export class UnavailableError extends ApiError {
  readonly statusCode = 503;
}

/** The HTTP status for any thrown value: an ApiError's own, else 500. */
export function statusCodeOf(err: unknown): number {
  return err instanceof ApiError ? err.statusCode : 500;
}

// Docker's wording for the errors other packages build most often.

export const noSuchContainer = (ref: string): NotFoundError =>
  new NotFoundError(`No such container: ${ref}`);

export const noSuchImage = (ref: string): NotFoundError => new NotFoundError(`No such image: ${ref}`);

export const noSuchExec = (id: string): NotFoundError => new NotFoundError(`No such exec instance: ${id}`);

/** `name` with or without its leading `/`; `id` is the holder's full ID. */
export const containerNameConflict = (name: string, id: string): ConflictError =>
  new ConflictError(
    `Conflict. The container name "${name.startsWith('/') ? name : '/' + name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
  );

export const containerNotRunning = (id: string): ConflictError =>
  new ConflictError(`Container ${id} is not running`);

