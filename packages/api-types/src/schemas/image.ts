import { z } from 'zod';
import { ContainerConfig, GraphDriverData } from './container.js';

const int = z.number().int();

/** One element of `GET /images/json`. */
export const ImageSummary = z.object({
  Id: z.string(),
  ParentId: z.string(),
  RepoTags: z.array(z.string()),
  RepoDigests: z.array(z.string()),
  Created: int,
  Size: int,
  SharedSize: int,
  VirtualSize: int.optional(),
  Labels: z.record(z.string(), z.string()),
  Containers: int,
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** `GET /images/{name}/json`. */
export const ImageInspect = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()),
  RepoDigests: z.array(z.string()),
  Parent: z.string(),
  Comment: z.string(),
  Created: z.string(),
  Container: z.string().optional(),
  ContainerConfig: ContainerConfig.optional(),
  DockerVersion: z.string(),
  Author: z.string(),
  Config: ContainerConfig.nullable(),
  Architecture: z.string(),
  Variant: z.string().optional(),
  Os: z.string(),
  OsVersion: z.string().optional(),
  Size: int,
  VirtualSize: int.optional(),
  GraphDriver: GraphDriverData,
  RootFS: z.object({ Type: z.string(), Layers: z.array(z.string()) }),
  Metadata: z.object({ LastTagTime: z.string().optional() }),
});
export type ImageInspect = z.infer<typeof ImageInspect>;

/** One line of `GET /images/{name}/history`. */
export const ImageHistoryItem = z.object({
  Id: z.string(),
  Created: int,
  CreatedBy: z.string(),
  Tags: z.array(z.string()).nullable(),
  Size: int,
  Comment: z.string(),
});
export type ImageHistoryItem = z.infer<typeof ImageHistoryItem>;

/** One element of `DELETE /images/{name}`. */
export const ImageDeleteResponseItem = z.union([
  z.object({ Untagged: z.string() }),
  z.object({ Deleted: z.string() }),
]);
export type ImageDeleteResponseItem = z.infer<typeof ImageDeleteResponseItem>;
