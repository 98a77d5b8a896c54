import { EventMessage, parseFilters } from '@berth/api-types';
import { describe, expect, it } from 'vitest';
import {
  containerEventAttributes,
  EventsBus,
  eventMessageJson,
  toEventMessage,
  validateEventFilters,
  type EngineEvent,
} from './index.js';

const C1 = 'a1'.repeat(32);
const C2 = 'b2'.repeat(32);
const IMG = 'sha256:' + 'f'.repeat(64);

function clock(start = 1_700_000_000_000_000_000n) {
  let t = start;
  return () => (t += 1_000_000_000n);
}

function busWithEvents(): EventsBus {
  const bus = new EventsBus({ now: clock() });
  bus.log('container', 'create', C1, { image: 'busybox:latest', name: 'web', tier: 'front' });
  bus.log('container', 'start', C1, { image: 'busybox:latest', name: 'web', tier: 'front' });
  bus.log('container', 'create', C2, { image: 'redis', name: 'db' });
  bus.log('image', 'pull', 'redis:latest', { name: 'redis' });
  bus.log('container', 'exec_create: ls -l', C2, { image: 'redis', name: 'db', execID: 'e1' });
  bus.log('container', 'die', C1, { image: 'busybox:latest', name: 'web', exitCode: '0' });
  bus.log('network', 'connect', 'n'.repeat(64), { container: C1, name: 'bridge', type: 'bridge' });
  return bus;
}

const ALL = { since: 0n };
const actions = (es: EngineEvent[]) => es.map((e) => `${e.type}/${e.action}/${e.actor.id.slice(0, 2)}`);
const query = (bus: EventsBus, filters: string) => actions(bus.replay({ ...ALL, filters: parseFilters(filters) }));

describe('EventsBus', () => {
  it('replays only with since or until, bounded by both', () => {
    const bus = busWithEvents();
    expect(bus.replay({})).toEqual([]);
    expect(bus.replay(ALL)).toHaveLength(7);
    const t3 = 1_700_000_003_000_000_000n;
    expect(actions(bus.replay({ since: t3, until: t3 + 1_000_000_000n }))).toEqual([
      'container/create/b2',
      'image/pull/re',
    ]);
    expect(bus.replay({ until: t3 })).toHaveLength(3);
  });

  it('keeps a bounded history', () => {
    const bus = new EventsBus({ historyLimit: 3, now: clock() });
    for (let i = 0; i < 5; i++) bus.log('volume', 'create', `v${i}`);
    expect(bus.replay(ALL).map((e) => e.actor.id)).toEqual(['v2', 'v3', 'v4']);
  });

  it("filters as docker events does", () => {
    const bus = busWithEvents();
    expect(query(bus, '{"event":["die"]}')).toEqual(['container/die/a1']);
    expect(query(bus, '{"event":["create","die"],"container":["web"]}')).toEqual([
      'container/create/a1',
      'container/die/a1',
    ]);
    expect(query(bus, `{"container":["${C2.slice(0, 6)}"]}`)).toEqual([
      'container/create/b2',
      'container/exec_create: ls -l/b2',
    ]);
    expect(query(bus, '{"event":["exec_create"]}')).toEqual(['container/exec_create: ls -l/b2']);
    expect(query(bus, '{"type":["image","network"]}')).toEqual(['image/pull/re', 'network/connect/nn']);
    expect(query(bus, '{"image":["busybox"]}')).toEqual(['container/create/a1', 'container/start/a1', 'container/die/a1']);
    expect(query(bus, '{"image":["redis"]}')).toEqual([
      'container/create/b2',
      'image/pull/re',
      'container/exec_create: ls -l/b2',
    ]);
    expect(query(bus, '{"label":["tier=front"]}')).toEqual(['container/create/a1', 'container/start/a1']);
    expect(query(bus, '{"container":["nothing"]}')).toEqual([]);
    expect(() => validateEventFilters(parseFilters('{"colour":["x"]}'))).toThrow("invalid filter 'colour'");
    expect(() => validateEventFilters(parseFilters('{"event":["x"],"type":["container"]}'))).not.toThrow();
  });

  it('delivers live events to subscribers through their filters', () => {
    const bus = new EventsBus({ now: clock() });
    bus.log('container', 'create', C1, { image: 'busybox' });
    const seen: string[] = [];
    const { replay, unsubscribe } = bus.subscribe({ filters: parseFilters('{"event":["start"]}') }, (e) =>
      seen.push(e.action),
    );
    expect(replay).toEqual([]);
    expect(bus.subscriberCount).toBe(1);
    bus.log('container', 'start', C1);
    bus.log('container', 'stop', C1);
    unsubscribe();
    bus.log('container', 'start', C1);
    expect(seen).toEqual(['start']);
    expect(bus.subscriberCount).toBe(0);
  });

  it('drops a listener that throws and keeps the others', () => {
    const bus = new EventsBus({ now: clock() });
    let good = 0;
    bus.subscribe({}, () => {
      throw new Error('gone');
    });
    bus.subscribe({}, () => good++);
    bus.log('container', 'start', C1);
    bus.log('container', 'start', C1);
    expect(good).toBe(2);
    expect(bus.subscriberCount).toBe(1);
  });
});

describe('event messages', () => {
  it('carry the v1.44 fields and the old status/id/from', () => {
    const bus = new EventsBus({ now: () => 1_700_000_000_123_456_789n });
    const e = bus.log('container', 'die', C1, { image: 'busybox', name: 'web', exitCode: '1' });
    const msg = toEventMessage(e);
    expect(EventMessage.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      status: 'die',
      id: C1,
      from: 'busybox',
      Type: 'container',
      Action: 'die',
      Actor: { ID: C1, Attributes: { image: 'busybox', name: 'web', exitCode: '1' } },
      scope: 'local',
      time: 1_700_000_000,
    });
    const line = eventMessageJson(e);
    expect(line).toContain('"timeNano":1700000000123456789}');
    expect(Object.keys(JSON.parse(line))).toEqual(['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  });

  it('has no old fields for other types, and no from for images', () => {
    const bus = new EventsBus({ now: clock() });
    expect(toEventMessage(bus.log('image', 'tag', IMG, { name: 'x:1' }))).toMatchObject({ status: 'tag', id: IMG });
    expect(toEventMessage(bus.log('image', 'tag', IMG, { name: 'x:1' })).from).toBeUndefined();
    const net = toEventMessage(bus.log('network', 'create', 'n1', { name: 'x', type: 'bridge' }));
    expect('status' in net || 'id' in net).toBe(false);
  });
});

describe('containerEventAttributes', () => {
  it('puts labels, image, name and the extras together', () => {
    expect(
      containerEventAttributes({ name: '/web', image: 'busybox', labels: { tier: 'front', name: 'spoof' } }, { exitCode: '0' }),
    ).toEqual({ tier: 'front', name: 'web', image: 'busybox', exitCode: '0' });
  });
});
