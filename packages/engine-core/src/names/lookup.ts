import { InvalidParameterError, noSuchContainer } from '@berth/api-types';
import { TruncIndex, TruncIndexError } from '../ids/index.js';

/** What resolving a container reference needs. */
export interface ContainerLookup {
  /** True for the full ID of an existing container. */
  exists(id: string): boolean;
  /** The container holding a name. */
  idOf(name: string): string | undefined;
  /** The IDs of all containers, for prefixes. */
  index: TruncIndex;
}

/**
 * Docker's `GetContainer`: a reference is an exact full ID, else an exact name (with or
 * without `/`), else a unique ID prefix. Throws `No such container: x` (404) or, for a prefix
 * of several IDs, Docker's ambiguity error (400).
 */
export function resolveContainerId(ref: string, lookup: ContainerLookup): string {
  if (ref === '') throw new InvalidParameterError('invalid name or ID supplied: ""');
  if (lookup.exists(ref)) return ref;
  const byName = lookup.idOf(ref);
  if (byName !== undefined && lookup.exists(byName)) return byName;
  try {
    return lookup.index.get(ref);
  } catch (e) {
    if (e instanceof TruncIndexError && e.kind === 'ambiguous') throw new InvalidParameterError(e.message);
    throw noSuchContainer(ref);
  }
}
