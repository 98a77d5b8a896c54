import type { EventMessage, FilterArgs } from '@berth/api-types';
import { nowNanos, secondsFromNanos } from '@berth/api-types';
import { matchesEventFilters } from './filter.js';
import type { ActionsByType, EngineEvent } from './types.js';

/** How many past events the bus keeps for `since` (Docker's `eventsLimit`). */
export const EVENTS_HISTORY_LIMIT = 256;

export interface EventsBusOptions {
  historyLimit?: number;
  now?: () => bigint;
}

export type EventListener = (event: EngineEvent) => void;

/** Which past events a subscriber wants, and which events at all. */
export interface EventQuery {
  since?: bigint;
  until?: bigint;
  filters?: FilterArgs;
}

/**
 * The engine's event bus (`docker events`): publishes to live subscribers and keeps a bounded
 * history for `since`/`until` replays. Publishing never blocks; a listener that throws is
 * dropped rather than stopping the others.
 */
export class EventsBus {
  private readonly history: EngineEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private readonly limit: number;
  private readonly now: () => bigint;

  constructor(opts: EventsBusOptions = {}) {
    this.limit = opts.historyLimit ?? EVENTS_HISTORY_LIMIT;
    this.now = opts.now ?? nowNanos;
  }

  /** Records and publishes an event of `type`. */
  log<T extends keyof ActionsByType>(
    type: T,
    action: ActionsByType[T] | `${ActionsByType[T]}: ${string}`,
    actorId: string,
    attributes: Record<string, string> = {},
  ): EngineEvent {
    const event: EngineEvent = { type, action, actor: { id: actorId, attributes: { ...attributes } }, timeNano: this.now() };
    this.history.push(event);
    if (this.history.length > this.limit) this.history.shift();
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        this.listeners.delete(l);
      }
    }
    return event;
  }

  /** Past events within [since, until] that pass the filters; none unless since or until is set. */
  replay(q: EventQuery): EngineEvent[] {
    if (q.since === undefined && q.until === undefined) return [];
    return this.history.filter(
      (e) =>
        (q.since === undefined || e.timeNano >= q.since) &&
        (q.until === undefined || e.timeNano <= q.until) &&
        (q.filters === undefined || matchesEventFilters(q.filters, e)),
    );
  }

  /**
   * Calls `listener` with each new event that passes the filters. Returns the replay (taken
   * atomically with the subscription, so nothing is lost or repeated) and an unsubscribe.
   */
  subscribe(q: EventQuery, listener: EventListener): { replay: EngineEvent[]; unsubscribe: () => void } {
    const replay = this.replay(q);
    const wrapped: EventListener = (e) => {
      if (q.filters === undefined || matchesEventFilters(q.filters, e)) listener(e);
    };
    this.listeners.add(wrapped);
    return { replay, unsubscribe: () => this.listeners.delete(wrapped) };
  }

  /** Live subscribers (`NEventsListener` of `docker info`). */
  get subscriberCount(): number {
    return this.listeners.size;
  }
}

/**
 * The `/events` message of an event: v1.44 fields, plus `status`/`id`/`from` for container
 * and image events as Docker still sends them. `timeNano` loses precision as a JS number;
 * use `eventMessageJson` to write it.
 */
export function toEventMessage(e: EngineEvent): EventMessage {
  const legacy: Partial<EventMessage> = {};
  if (e.type === 'container' || e.type === 'image') {
    legacy.status = e.action;
    legacy.id = e.actor.id;
    if (e.type === 'container' && e.actor.attributes['image'] !== undefined) legacy.from = e.actor.attributes['image'];
  }
  return {
    ...legacy,
    Type: e.type,
    Action: e.action,
    Actor: { ID: e.actor.id, Attributes: { ...e.actor.attributes } },
    scope: 'local',
    time: secondsFromNanos(e.timeNano),
    timeNano: Number(e.timeNano),
  };
}

/** One line of the `/events` stream, `timeNano` written exactly. */
export function eventMessageJson(e: EngineEvent): string {
  const msg = toEventMessage(e);
  // Placeholder swapped for the exact integer: JSON.stringify cannot write a bigint.
  const json = JSON.stringify({ ...msg, timeNano: '__TIME_NANO__' });
  return json.replace('"__TIME_NANO__"', e.timeNano.toString());
}
