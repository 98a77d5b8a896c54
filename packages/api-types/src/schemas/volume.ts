import { z } from 'zod';
import { lenientObject, stringMap } from './lenient.js';

/** `POST /volumes/create`. */
export const VolumeCreateRequest = lenientObject({
  Name: z.string(),
  Driver: z.string(),
  DriverOpts: stringMap,
  Labels: stringMap,
});
export type VolumeCreateRequest = z.infer<typeof VolumeCreateRequest>;

/** A volume as `GET /volumes/{name}` returns it. */
export const Volume = z.object({
  CreatedAt: z.string().optional(),
  Driver: z.string(),
  Labels: stringMap,
  Mountpoint: z.string(),
  Name: z.string(),
  Options: stringMap.nullable(),
  Scope: z.enum(['local', 'global']),
  UsageData: z.object({ Size: z.number().int(), RefCount: z.number().int() }).nullable().optional(),
  // A plugin driver's status: never set by the local driver.
  Status: z.record(z.string(), z.looseObject({})).optional(),
});
export type Volume = z.infer<typeof Volume>;

/** `GET /volumes`. */
export const VolumeListResponse = z.object({ Volumes: z.array(Volume), Warnings: z.array(z.string()) });
export type VolumeListResponse = z.infer<typeof VolumeListResponse>;

/** `POST /volumes/prune`. */
export const VolumePruneResponse = z.object({ VolumesDeleted: z.array(z.string()), SpaceReclaimed: z.number().int() });
export type VolumePruneResponse = z.infer<typeof VolumePruneResponse>;
