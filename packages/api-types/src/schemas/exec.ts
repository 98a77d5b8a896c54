import { z } from 'zod';
import { lenientObject, stringOrList } from './lenient.js';

/** Body of `POST /containers/{id}/exec`. */
export const ExecCreateRequest = lenientObject({
  AttachStdin: z.boolean(),
  AttachStdout: z.boolean(),
  AttachStderr: z.boolean(),
  ConsoleSize: z.array(z.number().int()),
  DetachKeys: z.string(),
  Tty: z.boolean(),
  Env: z.array(z.string()).nullish(),
  Cmd: stringOrList,
  Privileged: z.boolean(),
  User: z.string(),
  WorkingDir: z.string(),
});
export type ExecCreateRequest = z.infer<typeof ExecCreateRequest>;

/** Body of `POST /exec/{id}/start`. */
export const ExecStartRequest = lenientObject({
  Detach: z.boolean(),
  Tty: z.boolean(),
  ConsoleSize: z.array(z.number().int()),
});
export type ExecStartRequest = z.infer<typeof ExecStartRequest>;

/** `GET /exec/{id}/json`; ExitCode is null until the process has exited. */
export const ExecInspect = z.object({
  CanRemove: z.boolean(),
  DetachKeys: z.string(),
  ID: z.string(),
  Running: z.boolean(),
  ExitCode: z.number().int().nullable(),
  ProcessConfig: z.object({
    privileged: z.boolean(),
    user: z.string(),
    tty: z.boolean(),
    entrypoint: z.string(),
    arguments: z.array(z.string()),
  }),
  OpenStdin: z.boolean(),
  OpenStderr: z.boolean(),
  OpenStdout: z.boolean(),
  ContainerID: z.string(),
  Pid: z.number().int(),
});
export type ExecInspect = z.infer<typeof ExecInspect>;

/** `POST /containers/{id}/exec` → 201 (also commit and network create: `IdResponse`). */
export const IdResponse = z.object({ Id: z.string() });
export type IdResponse = z.infer<typeof IdResponse>;
