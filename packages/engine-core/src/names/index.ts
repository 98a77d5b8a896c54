export { ContainerStore, type StoredContainer } from './container-store.js';
export { resolveContainerId, type ContainerLookup } from './lookup.js';
export { NameStore } from './store.js';
export { VALID_CONTAINER_NAME_CHARS, canonicalContainerName } from './validate.js';
