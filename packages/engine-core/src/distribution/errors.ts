import { ForbiddenError, InvalidParameterError, NotFoundError, SystemError, UnauthorizedError, type ApiError } from '@berth/api-types';
import { ReservedNameError } from '@berth/graph-aufs';
import { RegistryError } from '@berth/registry';

/** A registry failure or a reserved name (moby's Forbidden) as the Engine API answers it; Docker's message is passed through. */
export function apiErrorOf(err: unknown): unknown {
  if (err instanceof ReservedNameError) return new ForbiddenError(err.message, { cause: err });
  if (!(err instanceof RegistryError)) return err;
  return toApiError(err);
}

function toApiError(err: RegistryError): ApiError {
  const opts = { cause: err };
  if (err.message.startsWith('invalid reference format') || err.message.startsWith('Invalid repository name')) {
    return new InvalidParameterError(err.message, opts);
  }
  switch (err.code) {
    case 'MANIFEST_UNKNOWN':
    case 'NAME_UNKNOWN':
    case 'NOT_FOUND':
      return new NotFoundError(err.message, opts);
    case 'UNAUTHORIZED':
    case 'DENIED':
      return err.message.startsWith('pull access denied') ? new NotFoundError(err.message, opts) : new UnauthorizedError(err.message, opts);
  }
  if (err.status === 400) return new InvalidParameterError(err.message, opts);
  return new SystemError(err.message, opts);
}
