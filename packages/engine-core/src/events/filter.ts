import type { FilterArgs } from '@berth/api-types';
import { exactMatch, fuzzyMatch, matchKeyValueList, validateFilterKeys } from '@berth/api-types';
import type { EngineEvent } from './types.js';

/** The filter keys `docker events` accepts. */
export const EVENT_FILTER_KEYS = [
  'container',
  'daemon',
  'event',
  'image',
  'label',
  'network',
  'scope',
  'type',
  'volume',
] as const;

export function validateEventFilters(args: FilterArgs): void {
  validateFilterKeys(args, EVENT_FILTER_KEYS);
}

// Actions that carry a `: detail` suffix match their bare name.
const SUFFIXED = ['exec_create', 'exec_start', 'health_status'];

function matchEvent(args: FilterArgs, action: string): boolean {
  const values = args.get('event');
  if (values && [...values].some((v) => SUFFIXED.includes(v))) return fuzzyMatch(args, 'event', action);
  return exactMatch(args, 'event', action);
}

const stripTag = (ref: string): string => {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
};

function matchImage(args: FilterArgs, e: EngineEvent): boolean {
  if (!args.get('image')?.size) return true;
  const name = e.actor.attributes[e.type === 'image' ? 'name' : 'image'];
  const candidates = [e.actor.id, stripTag(e.actor.id)];
  if (name !== undefined) candidates.push(name, stripTag(name));
  return candidates.some((c) => exactMatch(args, 'image', c));
}

/** ID prefix or name prefix of an actor of `type`; other types never match a `type` key. */
function matchActor(args: FilterArgs, key: 'container' | 'daemon' | 'network' | 'volume', e: EngineEvent): boolean {
  if (!args.get(key)?.size) return true;
  if (e.type !== key) return false;
  return fuzzyMatch(args, key, e.actor.id) || fuzzyMatch(args, key, e.actor.attributes['name']);
}

/**
 * Docker's events filter: values of one key are OR'ed, keys are AND'ed. `container` matches
 * an ID or name prefix, `image` the image ID or reference with or without tag (on container
 * events: the container's image), `event` the action, `type` the event type, `label` the
 * actor's attributes.
 */
export function matchesEventFilters(args: FilterArgs, e: EngineEvent): boolean {
  return (
    matchEvent(args, e.action) &&
    exactMatch(args, 'type', e.type) &&
    exactMatch(args, 'scope', 'local') &&
    matchActor(args, 'container', e) &&
    matchActor(args, 'daemon', e) &&
    matchActor(args, 'network', e) &&
    matchActor(args, 'volume', e) &&
    matchImage(args, e) &&
    matchKeyValueList(args, 'label', e.actor.attributes)
  );
}
