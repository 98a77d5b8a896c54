export { EVENTS_HISTORY_LIMIT, EventsBus, eventMessageJson, toEventMessage } from './bus.js';
export type { EventListener, EventQuery, EventsBusOptions } from './bus.js';
export { EVENT_FILTER_KEYS, matchesEventFilters, validateEventFilters } from './filter.js';
export type { ActionsByType, ContainerAction, EngineEvent, ImageAction, NetworkAction, VolumeAction } from './types.js';
export { containerEventAttributes, type ContainerEventSubject } from './attributes.js';
