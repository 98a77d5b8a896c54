import { z } from 'zod';

/**
 * Request bodies as clients send them: every field may be absent or `null` (testcontainers and
 * docker-py send `"Driver": null`), and unknown fields are kept, not rejected.
 */
export function lenientObject<S extends z.ZodRawShape>(shape: S) {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape)) out[k] = (v as z.ZodType).nullish();
  return z.looseObject(out as { [K in keyof S]: z.ZodOptional<z.ZodNullable<S[K]>> });
}

/** A string list that some clients send as a single string (`"Cmd": "ls -l"`, `"Dns": "8.8.8.8"`). */
export const stringOrList = z.union([z.string(), z.array(z.string())]);

/** A Go `map[string]struct{}` such as ExposedPorts and Volumes. */
export const emptyObjectMap = z.record(z.string(), z.looseObject({}));

export const stringMap = z.record(z.string(), z.string());
