import type { ExecCreateRequest, ExecInspect } from '@berth/api-types';
import { ConflictError, InvalidParameterError, noSuchExec } from '@berth/api-types';
import { replaceOrAppendEnv } from '../config/index.js';

/** What an exec process inherits from its container. */
export interface ExecContainerContext {
  /** The container process's environment. */
  env: readonly string[];
  workingDir: string;
  user: string;
}

/** The process to run in the container's namespaces. */
export interface ExecProcess {
  path: string;
  args: string[];
  env: string[];
  cwd: string;
  user: string;
  tty: boolean;
  privileged: boolean;
}

/**
 * One exec instance (`docker exec`): created, started once, exited. The entrypoint of the
 * container is not used; the command runs as given.
 */
export class ExecInstance {
  running = false;
  exitCode: number | null = null;
  pid = 0;
  private readonly cmd: string[];
  /** The create request as received. */
  readonly request: ExecCreateRequest;

  constructor(
    readonly id: string,
    readonly containerId: string,
    req: ExecCreateRequest,
  ) {
    const cmd = typeof req.Cmd === 'string' ? [req.Cmd] : [...(req.Cmd ?? [])];
    if (cmd.length === 0 || cmd[0] === '') throw new InvalidParameterError('No exec command specified');
    this.cmd = cmd;
    this.request = req;
  }

  get tty(): boolean {
    return this.request.Tty ?? false;
  }

  /** The detail of the exec_create/exec_start events: the command line. */
  get commandLine(): string {
    return this.cmd.join(' ');
  }

  /** Marks the start; an instance runs once. */
  markStarting(): void {
    if (this.running) throw new ConflictError(`Error: Exec command ${this.id} is already running`);
    if (this.exitCode !== null) throw new ConflictError(`Error: Exec command ${this.id} has already run`);
    this.running = true;
  }

  setRunning(pid: number): void {
    this.pid = pid;
  }

  setExited(exitCode: number): void {
    this.running = false;
    this.exitCode = exitCode;
  }

  process(c: ExecContainerContext): ExecProcess {
    return {
      path: this.cmd[0] as string,
      args: this.cmd.slice(1),
      env: replaceOrAppendEnv(c.env, this.request.Env ?? []),
      cwd: this.request.WorkingDir || c.workingDir || '/',
      user: this.request.User || c.user,
      tty: this.tty,
      privileged: this.request.Privileged ?? false,
    };
  }

  /** `GET /exec/{id}/json`. */
  toJSON(): ExecInspect {
    return {
      CanRemove: false,
      DetachKeys: this.request.DetachKeys ?? '',
      ID: this.id,
      Running: this.running,
      ExitCode: this.exitCode,
      ProcessConfig: {
        privileged: this.request.Privileged ?? false,
        user: this.request.User ?? '',
        tty: this.tty,
        entrypoint: this.cmd[0] as string,
        arguments: this.cmd.slice(1),
      },
      OpenStdin: this.request.AttachStdin ?? false,
      OpenStderr: this.request.AttachStderr ?? false,
      OpenStdout: this.request.AttachStdout ?? false,
      ContainerID: this.containerId,
      Pid: this.pid,
    };
  }
}

/** The daemon's exec instances, by exact ID (exec IDs are never abbreviated). */
export class ExecStore {
  private readonly byId = new Map<string, ExecInstance>();

  add(e: ExecInstance): void {
    this.byId.set(e.id, e);
  }

  get(id: string): ExecInstance {
    const e = this.byId.get(id);
    if (!e) throw noSuchExec(id);
    return e;
  }

  /** The `ExecIDs` of container inspect: null when there are none, as Docker has it. */
  idsOf(containerId: string): string[] | null {
    const ids = [...this.byId.values()].filter((e) => e.containerId === containerId).map((e) => e.id);
    return ids.length > 0 ? ids : null;
  }

  /** Forgets the instances of a removed container. */
  deleteContainer(containerId: string): void {
    for (const [id, e] of this.byId) if (e.containerId === containerId) this.byId.delete(id);
  }
}
