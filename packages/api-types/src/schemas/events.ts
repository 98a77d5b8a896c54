import { z } from 'zod';

export const EventType = z.enum([
  'builder',
  'config',
  'container',
  'daemon',
  'image',
  'network',
  'node',
  'plugin',
  'secret',
  'service',
  'volume',
]);
export type EventType = z.infer<typeof EventType>;

export const EventActor = z.object({
  ID: z.string(),
  Attributes: z.record(z.string(), z.string()),
});
export type EventActor = z.infer<typeof EventActor>;

/**
 * One line of `GET /events`: the v1.44 fields plus the pre-1.22 `status`, `id`, `from` that
 * Docker still sends for container and image events.
 */
export const EventMessage = z.object({
  status: z.string().optional(),
  id: z.string().optional(),
  from: z.string().optional(),
  Type: EventType,
  Action: z.string(),
  Actor: EventActor,
  scope: z.enum(['local', 'swarm']),
  time: z.number().int(),
  // Nanoseconds since the epoch exceed 2^53: a JS number holds them only approximately.
  timeNano: z.number().refine(Number.isInteger, 'timeNano must be an integer'),
});
export type EventMessage = z.infer<typeof EventMessage>;
