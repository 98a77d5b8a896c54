import { InvalidParameterError, parseTimestamp } from '@berth/api-types';
import type { RequestContext } from '../context.js';

/** A `since`/`until` query value (unix seconds or RFC 3339) in ns; undefined when absent. */
export function queryTime(ctx: RequestContext, name: string): bigint | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  const t = parseTimestamp(raw);
  if (t === undefined) throw new InvalidParameterError(`failed to parse value ${raw} as a timestamp`);
  return t;
}

/** An optional integer query value (`t` of stop and restart). */
export function optionalInt(ctx: RequestContext, name: string): number | undefined {
  return ctx.query.get(name) === null || ctx.query.get(name) === '' ? undefined : ctx.queryInt(name, 0);
}

/** What validBody needs of a zod schema. */
interface BodySchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** A request body checked against its api-types schema; a 400 naming each bad field. */
export function validBody<T>(schema: BodySchema<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidParameterError(parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
