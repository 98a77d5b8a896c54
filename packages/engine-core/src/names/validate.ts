import { InvalidParameterError } from '@berth/api-types';

/** Docker's `validContainerNameChars`. */
export const VALID_CONTAINER_NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const VALID_NAME = new RegExp(`^/?${VALID_CONTAINER_NAME_CHARS}+$`);

/** The stored form of a user-supplied name (`web` → `/web`), or Docker's refusal. */
export function canonicalContainerName(name: string): string {
  if (!VALID_NAME.test(name)) {
    throw new InvalidParameterError(
      `Invalid container name (${name}), only ${VALID_CONTAINER_NAME_CHARS} are allowed`,
    );
  }
  return name.startsWith('/') ? name : `/${name}`;
}
