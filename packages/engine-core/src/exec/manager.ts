import type { Readable, Writable } from 'node:stream';
import type { ContainerConfig, ExecCreateRequest, ExecInspect } from '@berth/api-types';
import { ConflictError, containerNotRunning } from '@berth/api-types';
import type { Container, ExecProcess as RunningExec } from '@berth/libcontainer';
import { containerEnv, withHome } from '../config/index.js';
import type { ContainerAction } from '../events/index.js';
import { homeOf } from '../engine/spec.js';
import { generateId } from '../ids/index.js';
import { ExecInstance, ExecStore } from './exec.js';

/** A container as exec sees it. */
export interface ExecTarget {
  id: string;
  running: boolean;
  paused: boolean;
  restarting: boolean;
  config: ContainerConfig;
  container: Container | undefined;
}

/** What the exec manager needs of the engine. */
export interface ExecHost {
  /** The container a reference names; a 404 when none. */
  target(ref: string): ExecTarget;
  /** Logs a container event with the container's attributes and `extra`. */
  event(containerId: string, action: ContainerAction | `${ContainerAction}: ${string}`, extra: Record<string, string>): void;
}

/** The streams an exec start connects; any may be absent (a detached start has none). */
export interface ExecStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/** A started exec: `done` settles with its exit code once it exited and its output was copied. */
export interface ExecSession {
  done: Promise<number>;
  /** Kills the process (the client went away). */
  kill(): void;
}

/** Docker's refusals for a container that cannot run an exec now. */
function assertCanExec(t: ExecTarget): Container {
  if (!t.running || !t.container) throw containerNotRunning(t.id);
  if (t.paused) throw new ConflictError(`Container ${t.id} is paused, unpause the container before exec`);
  if (t.restarting) throw new ConflictError(`Container ${t.id} is restarting, wait until the container is running`);
  return t.container;
}

/** Copies `from` into `to` without ending `to`; settles when `from` ended or failed. */
function copy(from: Readable, to: Writable | undefined): Promise<void> {
  return new Promise((resolve) => {
    from.on('data', (chunk: Buffer) => {
      if (to && !to.destroyed && !to.writableEnded) to.write(chunk);
    });
    from.once('end', () => resolve());
    from.once('close', () => resolve());
    from.once('error', () => resolve());
  });
}

/**
 * `docker exec`: instances created against a running container, started once in its
 * namespaces (libcontainer's exec), inspected and resized; exec_create/exec_start/exec_die events.
 */
export class ExecManager {
  private readonly store = new ExecStore();
  private readonly running = new Map<string, RunningExec>();
  /** Sizes asked for before the process ran (docker sends its first resize right after the start). */
  private readonly pendingSize = new Map<string, [number, number]>();

  constructor(private readonly host: ExecHost) {}

  /** `POST /containers/{id}/exec`. */
  create(ref: string, req: ExecCreateRequest): string {
    const t = this.host.target(ref);
    assertCanExec(t);
    const inst = new ExecInstance(generateId(), t.id, req);
    this.store.add(inst);
    const size = req.ConsoleSize;
    if (size && size.length === 2 && (size[0] ?? 0) > 0) this.pendingSize.set(inst.id, [size[0] as number, size[1] as number]);
    this.host.event(t.id, `exec_create: ${inst.commandLine}`, { execID: inst.id });
    return inst.id;
  }

  /** `GET /exec/{id}/json`. */
  inspect(id: string): ExecInspect {
    return this.store.get(id).toJSON();
  }

  /** Whether the instance has a TTY (its output is then raw, not multiplexed); 404 when unknown. */
  isTty(id: string): boolean {
    return this.store.get(id).tty;
  }

  /** Docker's refusals of a start, for the API to answer before it takes over the connection. */
  assertCanStart(id: string): void {
    const inst = this.store.get(id);
    if (inst.running) throw new ConflictError(`Error: Exec command ${id} is already running`);
    if (inst.exitCode !== null) throw new ConflictError(`Error: Exec command ${id} has already run`);
    assertCanExec(this.host.target(inst.containerId));
  }

  /**
   * `POST /exec/{id}/start`: runs the command with the streams the instance attaches (stdin
   * only when it was created with AttachStdin). Resolves once the process runs.
   */
  async start(id: string, streams: ExecStreams = {}): Promise<ExecSession> {
    const inst = this.store.get(id);
    const t = this.host.target(inst.containerId);
    const container = assertCanExec(t);
    inst.markStarting();
    const req = inst.request;
    const user = req.User || t.config.User;
    const rootfs = container.state.spec.rootfs;
    const env = withHome(containerEnv({ hostname: t.config.Hostname, tty: inst.tty, env: t.config.Env ?? [] }), homeOf(rootfs, user));
    const proc = inst.process({ env, workingDir: t.config.WorkingDir, user });
    this.host.event(t.id, `exec_start: ${inst.commandLine}`, { execID: id });
    let p: RunningExec;
    let pid: number;
    try {
      p = container.exec({ args: [proc.path, ...proc.args], env: proc.env, cwd: proc.cwd, user: proc.user, tty: proc.tty, privileged: proc.privileged });
      pid = await p.pid;
    } catch (e) {
      this.finish(inst, 126);
      throw e;
    }
    inst.setRunning(pid);
    this.running.set(id, p);
    const size = this.pendingSize.get(id);
    if (size) p.resize(...size);
    this.pendingSize.delete(id);
    if (req.AttachStdin && streams.stdin) streams.stdin.pipe(p.stdin);
    else p.stdin.end();
    p.stdin.on('error', () => {});
    const copied = Promise.all([
      copy(p.stdout, req.AttachStdout ? streams.stdout : undefined),
      p.stderr ? copy(p.stderr, req.AttachStderr ? streams.stderr : undefined) : Promise.resolve(),
    ]);
    const done = (async () => {
      const [result] = await Promise.all([p.result, copied]);
      streams.stdin?.unpipe(p.stdin);
      // As Docker: a command that could not run says why on the output stream.
      if (result.error && req.AttachStdout && streams.stdout && !streams.stdout.writableEnded) streams.stdout.write(`${result.error.message}\r\n`);
      this.finish(inst, result.exitCode);
      return result.exitCode;
    })();
    return {
      done,
      kill: () => {
        // SIGKILL to the process itself: the helper relays signals, but cannot relay that one.
        if (inst.running) process.kill(pid, 'SIGKILL');
      },
    };
  }

  private finish(inst: ExecInstance, exitCode: number): void {
    inst.setExited(exitCode);
    this.running.delete(inst.id);
    this.pendingSize.delete(inst.id);
    this.host.event(inst.containerId, 'exec_die', { execID: inst.id, exitCode: String(exitCode) });
  }

  /** `POST /exec/{id}/resize`: the size of its terminal (kept for the start when it has not run yet). */
  resize(id: string, rows: number, cols: number): void {
    const inst = this.store.get(id);
    const p = this.running.get(id);
    if (p) p.resize(rows, cols);
    else if (inst.exitCode === null) this.pendingSize.set(id, [rows, cols]);
  }

  /** The `ExecIDs` of container inspect. */
  idsOf(containerId: string): string[] | null {
    return this.store.idsOf(containerId);
  }

  /** Forgets a removed container's instances. */
  forgetContainer(containerId: string): void {
    this.store.deleteContainer(containerId);
  }
}
