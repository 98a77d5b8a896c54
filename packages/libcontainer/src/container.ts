import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { openCgroup, type Cgroup, type CgroupStats } from './cgroups/index.js';
import { compileConfig } from './config.js';
import { DEFAULT_DEVICE_RULES } from './defaults.js';
import { containerError } from './errors.js';
import { execIn, type ExecOptions, type ExecProcess } from './exec.js';
import { MonitorConnection } from './monitor/client.js';
import { spawnMonitor } from './monitor/spawn.js';
import { networkStats, type NetworkStats } from './network-stats.js';
import { compileSeccomp } from './seccomp/index.js';
import type { ContainerSpec, NamespaceType } from './spec.js';
import { resolveUser } from './user.js';

export interface CreateOptions {
  id: string;
  spec: ContainerSpec;
  /** The container's run dir (monitor socket, pid, exit.json, config), e.g. /run/berth/containers/<id>. */
  stateDir: string;
  /** cgroup path below each hierarchy's root; default `berth/<id>`. */
  cgroupPath?: string;
  /** The hierarchy to use: default the host's (`cgroupHost().version`); 2 on a hybrid host is its unified hierarchy. */
  cgroupVersion?: 1 | 2;
}

/** What exit.json records. */
export interface ExitStatus {
  exitCode: number;
  /** the signal that killed the init, 0 when it exited */
  signal: number;
  oomKilled: boolean;
  /** RFC3339Nano, "" if never started */
  startedAt: string;
  finishedAt: string;
}

/** What the state dir's state.json holds: enough for a new engine to take the container back. */
export interface ContainerState {
  id: string;
  pid: number;
  cgroupPath: string;
  /** absent in states written before the version was recorded: the host's */
  cgroupVersion?: 1 | 2;
  spec: ContainerSpec;
  /** namespaces not the host's (made for the container or joined), which exec joins */
  namespaces: NamespaceType[];
  seccompFile?: string;
  created: string;
}

export interface ContainerStats extends CgroupStats {
  read: string;
  networks: Record<string, NetworkStats>;
}

export interface AttachOptions {
  stdin?: Readable;
  /**
   * What the end of `stdin` does (Docker's StdinOnce): true (the default) closes the container's
   * stdin; false ends this attachment, and the container's stdin stays open for the next one.
   */
  closeStdin?: boolean;
  stdout?: Writable;
  stderr?: Writable;
  /** called when the container hits its memory limit and the kernel OOM-kills in it (Docker's "oom" event) */
  onOom?: () => void;
}

export interface Attachment {
  /** resolves when the container exited (with its status) or the attachment was closed (undefined) */
  done: Promise<ExitStatus | undefined>;
  resize(rows: number, cols: number): void;
  close(): void;
}

const STATE = 'state.json';
const EXIT = 'exit.json';
const SOCKET = 'monitor.sock';

function signalNumber(sig: NodeJS.Signals | number): number {
  if (typeof sig === 'number') return sig;
  const n = constants.signals[sig];
  if (n === undefined) throw new Error(`Invalid signal: ${sig}`);
  return n;
}

function namespacesOfItsOwn(spec: ContainerSpec): NamespaceType[] {
  const defaults: NamespaceType[] = ['mount', 'uts', 'ipc', 'pid', 'net'];
  const all: NamespaceType[] = ['user', 'mount', 'uts', 'ipc', 'pid', 'net', 'cgroup'];
  return all.filter((t) => (spec.namespaces?.[t]?.mode ?? (defaults.includes(t) ? 'new' : 'host')) !== 'host');
}

/** A container: a monitor process holding one init, its cgroup and its run dir. */
export class Container {
  readonly cgroup: Cgroup;

  private constructor(
    readonly stateDir: string,
    readonly state: ContainerState,
  ) {
    this.cgroup = openCgroup(state.cgroupPath, state.cgroupVersion);
  }

  get id(): string {
    return this.state.id;
  }

  /** Host PID of the container's init. */
  get pid(): number {
    return this.state.pid;
  }

  /**
   * Makes the cgroup, starts the monitor, and sets the container up to just before exec: the
   * namespaces exist (so a caller can add network interfaces to /proc/PID/ns/net) but the command
   * has not run yet. Throws a ContainerError naming the failing step.
   */
  static async create({ id, spec, stateDir, cgroupPath = `berth/${id}`, cgroupVersion }: CreateOptions): Promise<Container> {
    if (existsSync(join(stateDir, STATE))) throw new Error(`container ${id} already exists in ${stateDir}`);
    const cgroup = openCgroup(cgroupPath, cgroupVersion);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    try {
      const devices = spec.privileged ? [{ allow: true, type: 'a' as const, major: '*' as const, minor: '*' as const, access: 'rwm' }] : [...DEFAULT_DEVICE_RULES];
      cgroup.create({ ...spec.resources, devices: [...devices, ...(spec.resources?.devices ?? [])] });
      const user = resolveUser(spec.rootfs, spec.user);
      let seccompFile: string | undefined;
      if (!spec.privileged && spec.seccomp !== 'unconfined') {
        seccompFile = join(stateDir, 'seccomp.bpf');
        writeFileSync(seccompFile, compileSeccomp(spec.seccomp, spec.capabilities?.bounding));
      }
      writeFileSync(join(stateDir, 'config'), compileConfig({ spec, user, cgroup, seccompFile }).toBuffer());
      const started = await spawnMonitor(stateDir);
      if ('error' in started) throw containerError(started.error, spec.args[0] ?? '');
      const state: ContainerState = {
        id,
        pid: started.pid,
        cgroupPath,
        cgroupVersion: cgroup.version,
        spec,
        namespaces: namespacesOfItsOwn(spec),
        seccompFile,
        created: new Date().toISOString(),
      };
      writeFileSync(join(stateDir, STATE), JSON.stringify(state));
      return new Container(stateDir, state);
    } catch (e) {
      await cgroup.destroy().catch(() => {});
      rmSync(stateDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Takes back a container from its state dir (e.g. after the engine restarted). */
  static load(stateDir: string): Container {
    const state = JSON.parse(readFileSync(join(stateDir, STATE), 'utf8')) as ContainerState;
    return new Container(stateDir, state);
  }

  private connect(): Promise<MonitorConnection> {
    return MonitorConnection.open(join(this.stateDir, SOCKET));
  }

  /** Lets the init exec the command. Throws a ContainerError (exitCode 127/126) if the command cannot run. */
  async start(): Promise<void> {
    const conn = await this.connect();
    try {
      const reply = await conn.start();
      if (reply !== '') throw containerError(reply, this.state.spec.args[0] ?? '');
    } finally {
      conn.close();
    }
  }

  /** The recorded exit, once the container has exited. */
  exitStatus(): ExitStatus | undefined {
    try {
      return JSON.parse(readFileSync(join(this.stateDir, EXIT), 'utf8')) as ExitStatus;
    } catch {
      return undefined;
    }
  }

  /** Whether the monitor (and so the container) is still up. */
  running(): boolean {
    return existsSync(join(this.stateDir, SOCKET)) && this.exitStatus() === undefined;
  }

  /** Resolves with the exit status, notified by the monitor (no polling); works across engine restarts. */
  async wait(): Promise<ExitStatus> {
    const done = await this.attach({});
    const status = await done.done;
    if (status) return status;
    const recorded = this.exitStatus();
    if (!recorded) throw new Error(`container ${this.id}: monitor exited without recording an exit status`);
    return recorded;
  }

  /** Streams the container's live output to the given writables and stdin from a readable. */
  async attach(opts: AttachOptions): Promise<Attachment> {
    let conn: MonitorConnection;
    let settle!: (s: ExitStatus | undefined) => void;
    const done = new Promise<ExitStatus | undefined>((r) => (settle = r));
    try {
      conn = await MonitorConnection.open(join(this.stateDir, SOCKET), {
        onStdout: (d) => opts.stdout?.write(d),
        onStderr: (d) => opts.stderr?.write(d),
        onExit: (json) => settle(JSON.parse(json) as ExitStatus),
        onOom: opts.onOom,
        onClose: () => settle(this.exitStatus()),
      });
    } catch {
      // the monitor has gone: the container exited already
      const status = this.exitStatus();
      if (!status) throw new Error(`container ${this.id} has no monitor and no exit status`);
      return { done: Promise.resolve(status), resize: () => {}, close: () => {} };
    }
    conn.subscribe(opts.stdout !== undefined, opts.stderr !== undefined);
    if (opts.stdin) {
      opts.stdin.on('data', (d: Buffer | string) => conn.writeStdin(Buffer.isBuffer(d) ? d : Buffer.from(d)));
    }
    const close = (): void => {
      conn.close();
      settle(undefined);
    };
    opts.stdin?.on('end', () => (opts.closeStdin === false ? close() : conn.closeStdin()));
    return { done, resize: (rows, cols) => conn.resize(rows, cols), close };
  }

  /** Sends a signal to the container's init (SIGTERM, SIGKILL, ...). */
  async signal(sig: NodeJS.Signals | number): Promise<void> {
    const conn = await this.connect().catch(() => {
      throw new Error(`Container ${this.id} is not running`);
    });
    conn.signal(signalNumber(sig));
    await new Promise<void>((r) => conn.socket.end(r));
  }

  async resize(rows: number, cols: number): Promise<void> {
    const conn = await this.connect();
    conn.resize(rows, cols);
    await new Promise<void>((r) => conn.socket.end(r));
  }

  /** Runs another process in the container (docker exec). */
  exec(opts: ExecOptions): ExecProcess {
    return execIn({ stateDir: this.stateDir, ...this.state }, opts);
  }

  async pause(): Promise<void> {
    await this.cgroup.freeze();
  }

  async resume(): Promise<void> {
    await this.cgroup.thaw();
  }

  paused(): boolean {
    return this.cgroup.frozen();
  }

  stats(): ContainerStats {
    let networks: Record<string, NetworkStats> = {};
    try {
      if (this.state.namespaces.includes('net')) networks = networkStats(this.pid);
    } catch {
      // the init is gone
    }
    return { read: new Date().toISOString(), ...this.cgroup.stats(), networks };
  }

  /** Kills what still runs, waits for the monitor to record the exit, removes the cgroup and the run dir. */
  async destroy(): Promise<void> {
    if (this.running()) {
      if (this.cgroup.frozen()) await this.cgroup.thaw();
      const exited = this.wait();
      await this.signal('SIGKILL').catch(() => {});
      await exited.catch(() => {});
    }
    this.cgroup.killAll();
    await this.cgroup.destroy();
    // Off the event loop: on a busy disk each unlink can take milliseconds, and many containers
    // are removed at once.
    await rm(this.stateDir, { recursive: true, force: true });
  }
}

