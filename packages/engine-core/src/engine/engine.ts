import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type {
  ContainerConfig,
  ContainerCreateRequest,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerUpdateRequest,
  ContainerUpdateResponse,
  ContainerWaitResponse,
  FilterArgs,
  SystemInfo,
} from '@berth/api-types';
import {
  ConflictError,
  containerNotRunning,
  containerStatusText,
  InvalidParameterError,
  NotFoundError,
  nowNanos,
  millisFromNanos,
  formatRFC3339Nano,
  parseRFC3339Nano,
  SystemError,
} from '@berth/api-types';
import { GraphStore, mkdirForRemappedRoot, rootPair, type IdMapping } from '@berth/graph-aufs';
import { Container, ContainerError, MNT, cgroupHost, setLinkUp, unmount, useCgroupVersion, type Attachment, type ExitStatus } from '@berth/libcontainer';
import {
  defaultHostname,
  entrypointAndArgs,
  mergeConfig,
  toContainerConfig,
  toHostConfig,
  verifyContainerSettings,
} from '../config/index.js';
import { openEngineDb } from '../db/index.js';
import { containerEventAttributes, EventsBus } from '../events/index.js';
import { ExecManager } from '../exec/index.js';
import { generateId, TruncIndex } from '../ids/index.js';
import {
  linkEnv,
  linkHostsEntry,
  NetworkManager,
  NetworkStore,
  NO_NETWORK,
  parseLink,
  storedLink,
  validateNetworkOptions,
  type Link,
  type NetworkConfig,
} from '../network/index.js';
import { jsonLogPath, readJsonLog, type LogReadOptions, type LogRecord } from '../logs/index.js';
import { ContainerStore, resolveContainerId } from '../names/index.js';
import { filterContainers, psCommand, summaryPorts, type PsEntry } from '../ps/index.js';
import { probeSysInfo, statsFrames, updatedHostConfig, type SysInfo } from '../resources/index.js';
import { RestartCanceledError, RestartManager } from '../restart/index.js';
import { State, type WaitCondition } from '../state/index.js';
import { EngineVolumes, mountsForApi } from '../volumes/index.js';
import { copySharedFiles, writeNetworkFiles } from './files.js';
import { EngineImages } from './images.js';
import { EngineDistribution, type RegistryOptions } from '../distribution/index.js';
import { EngineNetworks, type ContainerAccess } from './networks.js';
import { systemInfo } from './info.js';
import { lockRoot, type RootLock } from './lock.js';
import type { ContainerRecord } from './record.js';
import { containerSpec, joinedNamespaces, networkMode, type SharedWith } from './spec.js';
import { chownToRemappedRoot, prepareRemappedDirs, verifyUsernsSettings, withUserNamespace } from '../userns/index.js';
import { psProcesses, topProcesses } from './top.js';

export interface EngineOptions {
  /** The engine's root (`/var/lib/berth`): database, layers, per-container files. */
  root: string;
  /** The run dir (`/run/berth`): per-container monitor state. */
  runDir: string;
  storageDriver?: string;
  /** The cgroup parent of containers (`berth`); each gets `<parent>/<id>`. */
  cgroupParent?: string;
  /** Receives one line per background failure (an exit that could not be recorded, ...). */
  logger?: (line: string) => void;
  debug?: boolean;
  /** What `/info` reports as ServerVersion. */
  version?: string;
  /** Registry settings: default registry, `--insecure-registry`. */
  registry?: RegistryOptions;
  /** The default bridge and its rules; without it containers get no bridge (only lo). */
  network?: NetworkConfig;
  /** The cgroup hierarchy for containers (`--cgroup-version`); default the host's. Process-wide. */
  cgroupVersion?: 1 | 2;
  /** CgroupnsMode when a create leaves it empty (`--default-cgroupns-mode`); Docker's default: private on v2, host on v1. */
  defaultCgroupnsMode?: 'host' | 'private';
  /** `--userns-remap`'s ranges (`root` is then already `<root>/<uid>.<gid>`): layers, files and containers are remapped. */
  userns?: IdMapping;
}

/** Streams an attach connects to a container. */
/** What `Engine.commit` writes besides the container's changes. */
export interface CommitRequest {
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  /** The image's config; default the container's own. */
  config?: ContainerConfig;
  /** The history entry's `created_by` (the builder's `/bin/sh -c #(nop) …`). */
  createdBy?: string;
  /** The image's `container_config`; default the container's config (the builder stores its cache key here). */
  containerConfig?: ContainerConfig;
  /** Freeze a running container while its changes are read (default true). */
  pause?: boolean;
}

export interface AttachStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * As Docker: a client's stdin ending closes the container's stdin only for a container created
 * with StdinOnce (`run -i` attached); otherwise it ends that client's attachment and the stdin
 * stays open for the next one (`run -di`, then `attach`).
 */
function attachOptions(record: ContainerRecord, streams: AttachStreams): AttachStreams & { closeStdin: boolean } {
  return { ...streams, closeStdin: record.Config.StdinOnce };
}

/** A container as the engine holds it in memory. */
interface Live {
  id: string;
  record: ContainerRecord;
  state: State;
  container?: Container;
  /** Whether this process mounted its rootfs (and so unmounts it through the graph). */
  mountedHere: boolean;
  /** Attachments waiting for the next start (docker run attaches before it starts). */
  pending: Array<{ streams: AttachStreams; attached: (a: Attachment) => void }>;
  /** Settles when the exit of the current run has been recorded. */
  exited?: Promise<void>;
  /** The live connection the exit is watched through (closed by Engine.close). */
  watcher?: Attachment;
  /** The restart policy's manager of the current run; none for policy `no`. */
  restart?: RestartManager;
  /** Stopped or killed by a user since the last start (for `unless-stopped`). */
  manuallyStopped: boolean;
  /** The kernel reported an OOM in the current run (its `oom` event went out then). */
  oomReported?: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A nameserver list of one address, if any. */
const dnsOf = (server: string | undefined): string[] | undefined => (server ? [server] : undefined);

/** Docker's signal parsing for kill and StopSignal: `9`, `KILL`, `SIGKILL`. */
export function parseSignal(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n <= 0 || n > 64) throw new InvalidParameterError(`Invalid signal: ${text}`);
    return n;
  }
  const name = (t.toUpperCase().startsWith('SIG') ? t.toUpperCase() : `SIG${t.toUpperCase()}`) as NodeJS.Signals;
  const n = constants.signals[name];
  if (n === undefined) throw new InvalidParameterError(`Invalid signal: ${text}`);
  return n;
}

/**
 * The engine: containers (create, start, stop, logs, attach, ...) on libcontainer, images on
 * graph-aufs, state in `<root>/berth.db`. One engine per root (a lock file enforces it).
 * Containers outlive the engine: close() leaves them running and open() takes them back.
 */
export class Engine {
  readonly events = new EventsBus();
  /** Images: import, list, inspect, remove, tag. */
  readonly images: EngineImages;
  /** `docker exec`: create, start, inspect, resize. */
  readonly execs: ExecManager;
  /** Registries: pull, push, login, search. */
  readonly distribution: EngineDistribution;
  /** Volumes: the /volumes API and containers' mounts. */
  readonly volumes: EngineVolumes;
  private readonly live = new Map<string, Live>();
  private readonly index = new TruncIndex();
  private readonly log: (line: string) => void;
  private closed = false;
  /** Networks: the /networks API and the container side of networking. */
  networks!: EngineNetworks;

  private constructor(
    readonly options: EngineOptions,
    readonly graph: GraphStore,
    private readonly store: ContainerStore<ContainerRecord>,
    private readonly lock: RootLock,
    private readonly kernel: SysInfo,
  ) {
    this.log = options.logger ?? (() => {});
    this.images = new EngineImages(graph, this.events, (imageId) => {
      const user = [...this.live.values()].find((l) => l.record.Image === imageId);
      return user ? { container: user.id, running: user.state.running } : null;
    });
    this.execs = new ExecManager({
      target: (ref) => {
        const { id, state, record, container } = this.get(ref);
        return { id, running: state.running, paused: state.paused, restarting: state.restarting, config: record.Config, container };
      },
      event: (id, action, extra) => {
        const live = this.live.get(id);
        if (live) this.events.log('container', action, id, this.attrs(live, extra));
      },
    });
    this.distribution = new EngineDistribution(graph, this.events, options.registry);
    // From the store: while restore() runs, containers not yet taken back still hold their volumes.
    this.volumes = new EngineVolumes(
      graph.db,
      options.root,
      this.events,
      () =>
        store.list().map(({ id, record }) => {
          const l = this.live.get(id);
          return { id, running: l ? l.state.running : record.State.Running, mounts: (l?.record ?? record).MountPoints ?? [] };
        }),
      options.userns && rootPair(options.userns),
    );
  }

  static open(options: EngineOptions): Engine {
    mkdirSync(options.root, { recursive: true, mode: 0o700 });
    mkdirSync(join(options.runDir, 'containers'), { recursive: true, mode: 0o700 });
    const lock = lockRoot(join(options.root, 'berth.pid'));
    let db: ReturnType<typeof openEngineDb> | undefined;
    try {
      db = openEngineDb(join(options.root, 'berth.db'));
      prepareRemappedDirs([join(options.root, 'containers'), join(options.root, 'volumes')], options.userns);
      const graph = GraphStore.open({
        root: options.root,
        db,
        ...(options.storageDriver ? { driver: options.storageDriver } : {}),
        ...(options.userns ? { idMap: options.userns } : {}),
      });
      if (options.cgroupVersion) useCgroupVersion(options.cgroupVersion);
      const engine = new Engine(options, graph, new ContainerStore<ContainerRecord>(db), lock, probeSysInfo());
      const manager = NetworkManager.open(options.network ?? NO_NETWORK, engine.engineId(), new NetworkStore(db), engine.log);
      engine.networks = new EngineNetworks(manager, engine.containerAccess(), engine.events);
      engine.restore();
      return engine;
    } catch (e) {
      db?.close();
      lock.release();
      throw e;
    }
  }

  private get network(): NetworkManager {
    return this.networks.manager;
  }

  /** What the network API needs of the containers. */
  private containerAccess(): ContainerAccess {
    const view = (l: Live): ReturnType<ContainerAccess['get']> => ({ id: l.id, name: this.nameOf(l.id).slice(1), record: l.record, pid: l.state.running ? l.state.pid : 0 });
    return {
      get: (ref) => view(this.get(ref)),
      all: () => [...this.live.values()].map(view),
      changed: (id) => {
        const l = this.get(id);
        this.persist(l);
        if (l.state.running) this.writeFiles(l.record, this.resolveLinks(l.record, false));
      },
    };
  }

  // --- paths --------------------------------------------------------------------------------

  private containerDir(id: string): string {
    return join(this.options.root, 'containers', id);
  }

  private stateDir(id: string): string {
    return join(this.options.runDir, 'containers', id);
  }

  /** `--cgroup-parent` of the container, else the engine's. */
  private cgroupPath(live: Live): string {
    return `${live.record.HostConfig.CgroupParent || this.options.cgroupParent || 'berth'}/${live.id}`;
  }

  // --- recovery -----------------------------------------------------------------------------

  /** Takes back every stored container; those that ran when the engine stopped are reconnected. */
  private restore(): void {
    for (const row of this.store.list()) {
      const state = State.fromRecord(row.id, row.record.State);
      const live: Live = { id: row.id, record: row.record, state, mountedHere: false, pending: [], manuallyStopped: false };
      live.restart = this.restartManager(live);
      this.live.set(row.id, live);
      this.index.add(row.id);
      if (!state.running) continue;
      let c: Container | undefined;
      try {
        c = Container.load(this.stateDir(row.id));
      } catch {
        // The run dir is gone (a reboot): the container died with the machine.
      }
      if (!c) {
        this.recordExit(live, { exitCode: 128 + 9, signal: 9, oomKilled: false, startedAt: '', finishedAt: '' });
        continue;
      }
      live.container = c;
      this.network.restoreAll(row.record.Endpoints ?? []).catch((e: unknown) => this.log(`container ${row.id}: ports: ${(e as Error).message}`));
      live.exited = this.watch(live, c);
    }
  }

  // --- lookup -------------------------------------------------------------------------------

  private get(ref: string): Live {
    const id = resolveContainerId(ref, {
      exists: (id) => this.live.has(id),
      idOf: (name) => this.store.names.idOf(name),
      index: this.index,
    });
    const live = this.live.get(id);
    if (!live) throw new NotFoundError(`No such container: ${ref}`);
    return live;
  }

  /** The full ID of a container reference (ID, name or unique prefix); 404 when none. */
  resolve(ref: string): string {
    return this.get(ref).id;
  }

  private nameOf(id: string): string {
    return this.store.names.namesOf(id).find((n) => n.lastIndexOf('/') === 0) ?? '';
  }

  private attrs(live: Live, extra: Record<string, string> = {}): Record<string, string> {
    return containerEventAttributes(
      { name: this.nameOf(live.id), image: live.record.Config.Image, labels: live.record.Config.Labels ?? {} },
      extra,
    );
  }

  private persist(live: Live): void {
    live.record.State = live.state.toRecord();
    this.store.update(live.id, live.record);
  }

  // --- containers ---------------------------------------------------------------------------

  /**
   * `POST /containers/create`: the container with its rw layer, files dir and name. `fromScratch`
   * (the builder's `FROM scratch`, never the API) allows no image: an empty rootfs.
   */
  createContainer(req: ContainerCreateRequest, name = '', apiVersion = '1.44', fromScratch = false): ContainerCreateResponse {
    if (!req.Image && !fromScratch) throw new InvalidParameterError('Config cannot be empty in order to create a container');
    const image = req.Image ? this.images.resolve(req.Image) : undefined;
    const hostConfig = toHostConfig(req, {
      logDriver: 'json-file',
      cgroupnsMode: this.options.defaultCgroupnsMode ?? (cgroupHost().version === 1 ? 'host' : 'private'),
      apiVersion,
    });
    const imageConfig = (image?.config.config ?? {}) as Parameters<typeof mergeConfig>[1];
    const merged = mergeConfig(toContainerConfig(req), imageConfig);
    // An imported image has an empty config: absent fields take the stored defaults.
    const config = {
      ...merged,
      User: merged.User ?? '',
      WorkingDir: merged.WorkingDir ?? '',
      Env: merged.Env ?? null,
      Cmd: merged.Cmd ?? null,
      Entrypoint: merged.Entrypoint ?? null,
      Volumes: merged.Volumes ?? null,
      Image: req.Image ?? '',
    };
    const warnings = verifyContainerSettings(config, hostConfig, this.kernel);
    verifyUsernsSettings(hostConfig, this.options.userns);
    const { path, args } = entrypointAndArgs(config.Entrypoint, config.Cmd);
    warnings.push(...validateNetworkOptions(config, hostConfig));
    const mountPoints = this.volumes.resolve(
      {
        binds: hostConfig.Binds,
        mounts: req.HostConfig?.Mounts ?? [],
        tmpfs: hostConfig.Tmpfs ?? {},
        volumes: Object.keys(config.Volumes ?? {}),
        volumesFrom: hostConfig.VolumesFrom,
        volumeDriver: hostConfig.VolumeDriver,
        privileged: hostConfig.Privileged,
      },
      (ref) => this.get(ref).record.MountPoints ?? [],
    );
    const attachments = this.networks.attachmentsForCreate(hostConfig, req.NetworkingConfig?.EndpointsConfig ?? undefined);
    const id = generateId();
    if (!config.Hostname) config.Hostname = defaultHostname(id);
    const dir = this.containerDir(id);
    const record: ContainerRecord = {
      Path: path,
      Args: args,
      Config: config,
      HostConfig: hostConfig,
      Image: image?.id ?? '',
      State: new State(id).toRecord(),
      Driver: this.graph.driver.name,
      RestartCount: 0,
      HostnamePath: join(dir, 'hostname'),
      HostsPath: join(dir, 'hosts'),
      ResolvConfPath: join(dir, 'resolv.conf'),
      LogPath: jsonLogPath(dir, id),
      MountPoints: mountPoints,
      Attachments: attachments,
    };
    const linked = (hostConfig.Links ?? []).map((l) => ({ ...parseLink(l), childId: this.get(parseLink(l).name).id }));
    this.graph.layers.createRW(id, image?.topLayer ?? null, { init: true });
    try {
      mkdirForRemappedRoot(dir, 0o700, this.options.userns);
      this.store.create(id, nowNanos(), record, name);
      if (linked.length > 0) {
        // stored as `/db:/web/db`, the alias a name of the child (ps shows it)
        const parent = this.nameOf(id);
        hostConfig.Links = linked.map((l) => storedLink(this.nameOf(l.childId), parent, l.alias));
        for (const l of linked) this.store.names.addLink(parent.slice(1), l.alias, l.childId);
        this.store.update(id, record);
      }
    } catch (e) {
      this.graph.layers.removeRW(id);
      rmSync(dir, { recursive: true, force: true });
      this.volumes.removeAnonymous(id, mountPoints);
      throw e;
    }
    const live: Live = { id, record, state: new State(id), mountedHere: false, pending: [], manuallyStopped: false };
    this.live.set(id, live);
    this.index.add(id);
    this.events.log('container', 'create', id, this.attrs(live));
    return { Id: id, Warnings: warnings };
  }

  /** `POST /containers/{id}/start`. */
  async start(ref: string): Promise<void> {
    const live = this.get(ref);
    live.state.assertCanStart();
    // Marked running at once so that a second start is refused while this one proceeds.
    live.state.running = true;
    live.restart?.cancel();
    live.restart = this.restartManager(live);
    live.manuallyStopped = false;
    try {
      await this.run(live);
    } catch (e) {
      live.state.running = false;
      throw e;
    }
  }

  private async run(live: Live): Promise<void> {
    const { id, record } = live;
    let shared: SharedWith;
    let links: Link[];
    try {
      shared = this.sharedNamespaces(record);
      links = this.resolveLinks(record, true);
    } catch (e) {
      // A missing or stopped container to share with, or a link to one: Docker's 404/409 as it is.
      this.startFailed(live, e);
      throw e;
    }
    const rootfs = this.graph.layers.mountRW(id);
    live.mountedHere = true;
    let c: Container | undefined;
    try {
      const req = { id, name: this.nameOf(id).slice(1), hostConfig: record.HostConfig, exposedPorts: record.Config.ExposedPorts, macAddress: record.Config.MacAddress ?? '' };
      record.Endpoints = await this.network.connectAll(req, this.networks.attachments(record));
      this.writeFiles(record, links);
      chownToRemappedRoot([record.HostnamePath, record.HostsPath, record.ResolvConfPath], this.options.userns);
      const mounts = this.volumes.setup(id, record.MountPoints ?? [], record.HostConfig.Tmpfs ?? {}, rootfs);
      if (shared.net) copySharedFiles(shared.net.record, record);
      const linkEnvs = links.flatMap((l) => linkEnv(this.nameOf(id), l));
      const spec = withUserNamespace(
        containerSpec(record, { id, rootfs, sys: this.kernel, mounts, linkEnv: linkEnvs, ...joinedNamespaces(shared) }),
        record.HostConfig,
        this.options.userns,
      );
      rmSync(this.stateDir(id), { recursive: true, force: true });
      c = await Container.create({ id, spec, stateDir: this.stateDir(id), cgroupPath: this.cgroupPath(live) });
      if (spec.namespaces?.net?.mode === 'new') setLinkUp('lo', { netns: { pid: c.pid } });
      this.network.plumbAll(record.Endpoints, c.pid);
      for (const p of live.pending.splice(0)) p.attached(this.endsAfterExit(live, await c.attach(attachOptions(record, p.streams))));
      await c.start();
    } catch (e) {
      if (c) await c.destroy().catch(() => {});
      this.releaseEndpoint(live);
      this.releaseRootfs(live);
      this.startFailed(live, e);
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof ContainerError) throw new InvalidParameterError(`failed to create task for container: ${message}`);
      throw new SystemError(message);
    }
    live.container = c;
    live.state.setRunning(c.pid, nowNanos());
    this.persist(live);
    this.events.log('container', 'start', id, this.attrs(live));
    live.exited = this.watch(live, c);
    this.updateParentHosts(id);
  }

  /**
   * A start that failed: the error recorded in its state, attachments waiting for the start let
   * go (their clients see the stream end), and an auto-removed container removed.
   */
  private startFailed(live: Live, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    live.state.setStartFailed(message, nowNanos(), e instanceof ContainerError ? e.exitCode : 128);
    this.persist(live);
    for (const p of live.pending.splice(0)) p.attached({ done: Promise.resolve(undefined), resize: () => {}, close: () => {} });
    if (live.record.HostConfig.AutoRemove) {
      this.remove(live.id).catch((err: unknown) => this.log(`container ${live.id}: auto-remove: ${(err as Error).message}`));
    }
  }

  /** hostname, hosts and resolv.conf of a container (rewritten in place, so a running one sees changes). */
  private writeFiles(record: ContainerRecord, links: readonly Link[]): void {
    const h = record.HostConfig;
    writeNetworkFiles(
      { hostname: record.HostnamePath, hosts: record.HostsPath, resolvConf: record.ResolvConfPath },
      {
        hostname: record.Config.Hostname,
        domainname: record.Config.Domainname,
        hostNetwork: networkMode(h) === 'host',
        extraHosts: h.ExtraHosts ?? [],
        ...(record.Endpoints?.[0] ? { address: record.Endpoints[0].IPAddress } : {}),
        dns: h.Dns.length > 0 ? h.Dns : dnsOf(this.network.dnsFor(record.Endpoints ?? [])) ?? this.network.config.dns,
        dnsSearch: h.DnsSearch.length > 0 ? h.DnsSearch : this.network.config.dnsSearch,
        links: links.map(linkHostsEntry),
      },
    );
  }

  /** The containers `--link`ed to; with `strict`, each must be running (else those not running are left out). */
  private resolveLinks(record: ContainerRecord, strict: boolean): Link[] {
    return (record.HostConfig.Links ?? []).flatMap((text) => {
      const { name, alias } = parseLink(text);
      const child = this.get(name);
      if (!child.state.running) {
        if (strict) throw new ConflictError(`Cannot link to a non running container: /${name} AS ${text.split(':')[1] ?? alias}`);
        return [];
      }
      const ip = child.record.Endpoints?.[0]?.IPAddress ?? '';
      const c = child.record.Config;
      return [{ alias, child: { name: this.nameOf(child.id), ip, hostname: c.Hostname, exposedPorts: c.ExposedPorts, env: c.Env ?? [] } }];
    });
  }

  /** A container linked to came back (maybe with another address): its running parents' hosts files follow. */
  private updateParentHosts(childId: string): void {
    const childName = this.nameOf(childId).slice(1);
    for (const parent of this.live.values()) {
      if (!parent.state.running || !(parent.record.HostConfig.Links ?? []).some((l) => parseLink(l).name === childName)) continue;
      try {
        this.writeFiles(parent.record, this.resolveLinks(parent.record, false));
      } catch (e) {
        this.log(`container ${parent.id}: hosts: ${(e as Error).message}`);
      }
    }
  }

  private restartManager(live: Live): RestartManager | undefined {
    const policy = live.record.HostConfig.RestartPolicy;
    return policy.Name === 'no' || policy.Name === '' ? undefined : new RestartManager(policy, live.record.RestartCount);
  }

  /** Waits for the container's exit and records it. */
  private async watch(live: Live, c: Container): Promise<void> {
    let status: ExitStatus;
    try {
      live.watcher = await c.attach({ onOom: () => this.reportOom(live) });
      const done = await live.watcher.done;
      if (this.closed) return;
      status = done ?? c.exitStatus() ?? { exitCode: 128 + 9, signal: 9, oomKilled: false, startedAt: '', finishedAt: '' };
    } catch (e) {
      if (this.closed) return;
      this.log(`container ${live.id}: lost its monitor: ${(e as Error).message}`);
      status = { exitCode: 128 + 9, signal: 9, oomKilled: false, startedAt: '', finishedAt: '' };
    }
    if (this.closed) return;
    await c.destroy().catch((e: unknown) => this.log(`container ${live.id}: cleanup: ${(e as Error).message}`));
    this.recordExit(live, status);
  }

  /** Docker's `oom` event, as the kernel reports it (the container may live on). */
  private reportOom(live: Live): void {
    live.oomReported = true;
    this.events.log('container', 'oom', live.id, this.attrs(live));
  }

  private releaseRootfs(live: Live): void {
    this.volumes.release(live.id, live.record.MountPoints ?? []);
    if (live.mountedHere) {
      this.graph.layers.unmountRW(live.id);
      live.mountedHere = false;
      return;
    }
    // Mounted by an engine before a restart: nobody here holds a count on it.
    const rootfs = live.container?.state.spec.rootfs;
    if (rootfs) {
      try {
        unmount(rootfs, MNT.DETACH);
      } catch {
        // not mounted (the previous engine closed cleanly)
      }
    }
  }

  /** The container's address, ports and veth go when it stops. */
  private releaseEndpoint(live: Live): void {
    const eps = live.record.Endpoints ?? [];
    live.record.Endpoints = undefined;
    this.network.disconnectAll(eps).catch((e: unknown) => this.log(`container ${live.id}: network: ${(e as Error).message}`));
  }

  /** `--net|--ipc|--pid container:<ref>`: the running containers whose namespaces this one joins. */
  private sharedNamespaces(record: ContainerRecord): SharedWith {
    const h = record.HostConfig;
    const donor = (mode: string, what: string): Live | undefined => {
      if (!mode.startsWith('container:')) return undefined;
      const other = this.get(mode.slice('container:'.length));
      if (!other.state.running || other.state.pid <= 0) throw new ConflictError(`cannot join ${what} of a non running container: ${other.id}`);
      return other;
    };
    const shared: SharedWith = {};
    const net = donor(h.NetworkMode, 'network');
    const ipc = donor(h.IpcMode, 'IPC');
    const pid = donor(h.PidMode ?? '', 'PID');
    if (net) shared.net = { pid: net.state.pid, record: net.record };
    if (ipc) shared.ipc = { pid: ipc.state.pid };
    if (pid) shared.pid = { pid: pid.state.pid };
    return shared;
  }

  private recordExit(live: Live, status: ExitStatus): void {
    this.releaseEndpoint(live);
    this.releaseRootfs(live);
    live.container = undefined;
    const exitCode = status.signal > 0 && status.exitCode === 0 ? 128 + status.signal : status.exitCode;
    const finished = parseRFC3339Nano(status.finishedAt);
    const now = finished !== undefined && finished > 0n ? finished : nowNanos();
    const ranForMs = live.state.startedAt === null ? 0 : millisFromNanos(now - live.state.startedAt);
    const decision = this.restartDecision(live, exitCode, ranForMs);
    if (decision) live.state.setRestarting({ exitCode, oomKilled: status.oomKilled }, now);
    else live.state.setStopped({ exitCode, oomKilled: status.oomKilled }, now);
    this.persist(live);
    if (status.oomKilled && !live.oomReported) this.events.log('container', 'oom', live.id, this.attrs(live));
    live.oomReported = false;
    this.events.log('container', 'die', live.id, this.attrs(live, { exitCode: String(exitCode) }));
    if (decision) {
      this.restartAfter(live, decision, exitCode);
      return;
    }
    if (live.record.HostConfig.AutoRemove) {
      this.remove(live.id, { force: false, volumes: true }).catch((e: unknown) => this.log(`container ${live.id}: auto-remove: ${(e as Error).message}`));
    }
  }

  private restartDecision(live: Live, exitCode: number, ranForMs: number): Promise<void> | undefined {
    if (!live.restart || live.state.removalInProgress || this.closed) return undefined;
    try {
      const d = live.restart.shouldRestart(exitCode, live.manuallyStopped, ranForMs);
      return d.restart ? d.ready : undefined;
    } catch (e) {
      if (e instanceof RestartCanceledError) return undefined;
      throw e;
    }
  }

  /** Runs the container again once the policy's delay is over, unless a stop cancels it. */
  private restartAfter(live: Live, ready: Promise<void>, exitCode: number): void {
    ready
      .then(async () => {
        live.record.RestartCount = live.restart?.restartCount ?? live.record.RestartCount + 1;
        await this.run(live);
      })
      .catch((e: unknown) => {
        if (!(e instanceof RestartCanceledError)) this.log(`container ${live.id}: restart: ${(e as Error).message}`);
        if (live.state.restarting) {
          live.state.setStopped({ exitCode }, nowNanos());
          this.persist(live);
        }
      });
  }

  /** `POST /containers/{id}/wait`. */
  wait(ref: string, condition: WaitCondition = 'not-running'): Promise<ContainerWaitResponse> {
    const live = this.get(ref);
    return live.state.wait(condition);
  }

  /** `POST /containers/{id}/kill`: a signal to the init (SIGKILL by default). */
  async kill(ref: string, signal = 'SIGKILL'): Promise<void> {
    const live = this.get(ref);
    const sig = parseSignal(signal);
    live.state.assertRunningFor('kill');
    const c = live.container;
    if (!c) throw containerNotRunning(live.id);
    live.manuallyStopped = true;
    if (live.state.paused && sig === 9) await c.resume();
    await c.signal(sig);
    this.events.log('container', 'kill', live.id, this.attrs(live, { signal: String(sig) }));
  }

  /**
   * `POST /containers/{id}/stop`: the stop signal, then SIGKILL after `timeout` seconds
   * (Config.StopTimeout or 10 when undefined; -1 waits forever). 304 when not running.
   */
  async stop(ref: string, timeout?: number, signal?: string): Promise<void> {
    const live = this.get(ref);
    live.state.assertCanStop();
    const t = timeout ?? live.record.Config.StopTimeout ?? 10;
    const exited = live.state.wait('not-running');
    // A stopped container stays stopped, whatever its restart policy.
    live.restart?.cancel();
    live.manuallyStopped = true;
    const sig = signal || live.record.Config.StopSignal || 'SIGTERM';
    try {
      if (live.state.paused && live.container) await live.container.resume();
      await this.kill(live.id, sig);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
    }
    const stopped = t < 0 ? await exited.then(() => true) : await Promise.race([exited.then(() => true), sleep(t * 1000).then(() => false)]);
    if (!stopped) {
      await this.kill(live.id, 'SIGKILL').catch(() => {});
      await exited;
    }
    this.events.log('container', 'stop', live.id, this.attrs(live));
  }

  /** `POST /containers/{id}/restart`. */
  async restart(ref: string, timeout?: number): Promise<void> {
    const live = this.get(ref);
    if (live.state.running) await this.stop(live.id, timeout);
    await live.exited;
    await this.start(live.id);
    this.events.log('container', 'restart', live.id, this.attrs(live));
  }

  /** `POST /containers/{id}/pause` (the freezer). */
  async pause(ref: string): Promise<void> {
    const live = this.get(ref);
    live.state.assertRunningFor('pause');
    await live.container?.pause();
    live.state.setPaused();
    this.persist(live);
    this.events.log('container', 'pause', live.id, this.attrs(live));
  }

  async unpause(ref: string): Promise<void> {
    const live = this.get(ref);
    if (!live.state.running) throw containerNotRunning(live.id);
    live.state.setUnpaused();
    await live.container?.resume();
    this.persist(live);
    this.events.log('container', 'unpause', live.id, this.attrs(live));
  }

  /**
   * `POST /commit`: the container's changes become an image on its own image, paused meanwhile
   * when running (unless `pause` is false), tagged `repo[:tag]` when a repo is given. `config`
   * replaces the container's config in the image (the caller merges `--change`s into it).
   */
  async commit(ref: string, opts: CommitRequest = {}): Promise<string> {
    const live = this.get(ref);
    const pause = opts.pause !== false && live.state.running && !live.state.paused;
    if (pause) await live.container?.pause();
    let imageId: string;
    try {
      const img = await this.graph.commit(live.id, live.record.Image || null, {
        config: opts.config ?? live.record.Config,
        containerConfig: opts.containerConfig ?? live.record.Config,
        container: live.id,
        ...(opts.author ? { author: opts.author } : {}),
        ...(opts.comment ? { comment: opts.comment } : {}),
        ...(opts.createdBy !== undefined ? { createdBy: opts.createdBy } : {}),
      });
      imageId = img.id;
    } finally {
      if (pause) await live.container?.resume();
    }
    this.events.log('container', 'commit', live.id, this.attrs(live, { comment: opts.comment ?? '', imageID: imageId }));
    if (opts.repo) this.images.tag(imageId, opts.repo, opts.tag ?? '');
    return imageId;
  }

  /** `DELETE /containers/{id}`: refused while running unless forced (which kills it). */
  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const live = this.get(ref);
    if (live.state.running) {
      if (!opts.force) {
        const what = live.state.paused ? 'container is paused and must be unpaused first' : 'container is running: stop the container before removing or force remove';
        throw new ConflictError(`cannot remove container "${this.nameOf(live.id)}": ${what}`);
      }
      live.restart?.cancel();
      const exited = live.state.wait('not-running');
      await this.kill(live.id, 'SIGKILL').catch(() => {});
      await exited;
      await live.exited;
      // An auto-removing container is removed by its own exit.
      if (!this.live.has(live.id)) return;
    }
    live.state.setRemovalInProgress();
    try {
      this.graph.layers.removeRW(live.id);
    } catch (e) {
      live.state.resetRemovalInProgress();
      live.state.setDead();
      this.persist(live);
      throw new SystemError(`unable to remove filesystem for ${live.id}: ${(e as Error).message}`);
    }
    // Off the event loop, so that many removals at once do not queue behind each other's unlinks.
    await Promise.all([rm(this.containerDir(live.id), { recursive: true, force: true }), rm(this.stateDir(live.id), { recursive: true, force: true })]);
    for (const l of live.record.HostConfig.Links ?? []) this.store.names.release(l.slice(l.indexOf(':') + 1));
    const attrs = this.attrs(live);
    this.store.remove(live.id);
    this.execs.forgetContainer(live.id);
    this.live.delete(live.id);
    this.index.delete(live.id);
    if (opts.volumes) this.volumes.removeAnonymous(live.id, live.record.MountPoints ?? []);
    live.state.setRemoved();
    this.events.log('container', 'destroy', live.id, attrs);
  }

  /** `POST /containers/{id}/rename`. */
  rename(ref: string, newName: string): void {
    const live = this.get(ref);
    const old = this.nameOf(live.id);
    this.store.names.rename(live.id, old, newName);
    // the networks' DNS answers to the new name
    for (const ep of live.record.Endpoints ?? []) ep.ContainerName = this.nameOf(live.id).slice(1);
    this.persist(live);
    this.events.log('container', 'rename', live.id, this.attrs(live, { oldName: old }));
  }

  /**
   * `GET /containers/{id}/top`: its processes as `ps -ef` lists them (read from /proc), or as
   * the host's `ps` prints them with `psArgs`.
   */
  top(ref: string, psArgs = ''): ContainerTopResponse {
    const live = this.get(ref);
    if (!live.state.running || !live.container) throw containerNotRunning(live.id);
    if (live.state.restarting) throw new ConflictError(`Container ${live.id} is restarting, wait until the container is running`);
    const pids = live.container.cgroup.pids();
    let result: ContainerTopResponse;
    try {
      result = psArgs.trim() === '' ? topProcesses(pids) : psProcesses(pids, psArgs, (args) => execFileSync('ps', args, { encoding: 'utf8' }));
    } catch (e) {
      throw new SystemError(`Error running ps: ${(e as Error).message}`);
    }
    this.events.log('container', 'top', live.id, this.attrs(live));
    return result;
  }

  /** `POST /containers/{id}/update`: new limits (written to a running container's cgroup) and restart policy. */
  update(ref: string, req: ContainerUpdateRequest): ContainerUpdateResponse {
    const live = this.get(ref);
    const u = updatedHostConfig(live.id, live.record.HostConfig, req, this.kernel);
    if (live.container && live.state.running) {
      try {
        live.container.cgroup.update(u.resources);
      } catch (e) {
        throw new SystemError(`Cannot update container ${live.id}: ${(e as Error).message}`);
      }
    }
    const policyChanged = JSON.stringify(u.hostConfig.RestartPolicy) !== JSON.stringify(live.record.HostConfig.RestartPolicy);
    live.record.HostConfig = u.hostConfig;
    if (policyChanged && !live.state.restarting) live.restart = this.restartManager(live);
    this.persist(live);
    this.events.log('container', 'update', live.id, this.attrs(live));
    return { Warnings: u.warnings };
  }

  /** `GET /containers/{id}/stats`: Docker's stats frames, one per second while streaming. */
  stats(ref: string, opts: { stream: boolean; oneShot: boolean; apiVersion: string; signal?: AbortSignal }): AsyncGenerator<Record<string, unknown>> {
    const live = this.get(ref);
    const sample = () => (live.container && live.state.running ? live.container.stats() : undefined);
    return statsFrames(sample, { ...opts, id: live.id, name: this.nameOf(live.id) });
  }

  /** `POST /containers/{id}/resize` for a TTY. */
  async resize(ref: string, rows: number, cols: number): Promise<void> {
    const live = this.get(ref);
    if (!live.state.running || !live.container) throw containerNotRunning(live.id);
    await live.container.resize(rows, cols);
  }

  /**
   * Connects streams to the container's stdio. Before a start the attachment waits for it (as
   * `docker run` attaches first); on a stopped container it ends at once.
   */
  async attach(ref: string, streams: AttachStreams): Promise<Attachment> {
    const live = this.get(ref);
    this.events.log('container', 'attach', live.id, this.attrs(live));
    if (live.container) return this.endsAfterExit(live, await live.container.attach(attachOptions(live.record, streams)));
    // Not running: as Docker, the streams wait for the next start (`start -a` attaches first).
    return new Promise<Attachment>((resolve) => live.pending.push({ streams, attached: resolve }));
  }

  /** An attachment that ends once the exit is recorded: clients read the exit code right after. */
  private endsAfterExit(live: Live, a: Attachment): Attachment {
    const done = a.done.then(async (status) => {
      if (status !== undefined) await live.exited?.catch(() => undefined);
      return status;
    });
    return { ...a, done };
  }

  /** Whether the container has a TTY (attach and logs then send raw bytes). */
  isTty(ref: string): boolean {
    return this.get(ref).record.Config.Tty;
  }

  /** `GET /containers/{id}/logs`: the json-file records; with follow, until the container stops. */
  logs(ref: string, opts: Omit<LogReadOptions, 'stopped'>): AsyncGenerator<LogRecord> {
    const live = this.get(ref);
    const type = live.record.HostConfig.LogConfig.Type;
    if (type !== 'json-file') {
      throw new InvalidParameterError(`configured logging driver does not support reading`);
    }
    return readJsonLog(live.record.LogPath, { ...opts, stopped: live.state.running ? live.state.wait('not-running') : Promise.resolve() });
  }

  /** `GET /containers/{id}/json`. */
  inspect(ref: string): ContainerInspect {
    const live = this.get(ref);
    const r = live.record;
    const row = this.store.get(live.id);
    const rw = this.graph.layers.getRW(live.id);
    return {
      Id: live.id,
      Created: formatRFC3339Nano(row?.createdNs ?? 0n),
      Path: r.Path,
      Args: r.Args,
      State: live.state.toJSON(),
      Image: r.Image,
      ResolvConfPath: r.ResolvConfPath,
      HostnamePath: r.HostnamePath,
      HostsPath: r.HostsPath,
      LogPath: r.LogPath,
      Name: this.nameOf(live.id),
      RestartCount: r.RestartCount,
      Driver: r.Driver,
      Platform: 'linux',
      MountLabel: '',
      ProcessLabel: '',
      AppArmorProfile: '',
      ExecIDs: this.execs.idsOf(live.id),
      HostConfig: r.HostConfig,
      GraphDriver: { Name: r.Driver, Data: { MountID: rw.mountId, ...(rw.initId ? { InitID: rw.initId } : {}) } },
      Mounts: mountsForApi(r.MountPoints),
      Config: r.Config,
      NetworkSettings: this.networks.settings(r, live.state.pid > 0 ? `/proc/${live.state.pid}/ns/net` : ''),
    };
  }

  /** `GET /containers/json` with Docker's all/limit/before/since/filters rules. */
  list(q: { all?: boolean; limit?: number; filters?: FilterArgs; before?: string; since?: string } = {}): ContainerSummary[] {
    const names = this.store.names.all();
    const rows = this.store.list();
    const entries = rows.flatMap((row) => {
      const live = this.live.get(row.id);
      if (!live) return [];
      const entry: PsEntry & { live: Live; created: bigint; names: string[] } = {
        id: live.id,
        name: this.nameOf(live.id),
        status: live.state.status,
        running: live.state.running,
        everStarted: live.state.startedAt !== null,
        exitCode: live.state.exitCode,
        labels: live.record.Config.Labels ?? {},
        health: 'none',
        mounts: (live.record.MountPoints ?? []).map((m) => ({ name: m.Name ?? '', destination: m.Destination })),
        networks: [],
        ports: summaryPorts(live.record.Endpoints?.[0]?.Ports ?? {}),
        image: live.record.Config.Image,
        imageId: live.record.Image,
        live,
        created: row.createdNs,
        names: names.get(live.id) ?? [],
      };
      return [entry];
    });
    const picked = filterContainers(entries, {
      all: q.all ?? false,
      limit: q.limit ?? -1,
      filters: q.filters ?? new Map(),
      ...(q.before ? { before: this.resolve(q.before) } : {}),
      ...(q.since ? { since: this.resolve(q.since) } : {}),
      isAncestor: (imageId, ancestor) => {
        try {
          return this.graph.images.resolve(ancestor).id === imageId;
        } catch {
          return false;
        }
      },
    });
    return picked.map((e) => ({
      Id: e.id,
      Names: e.names,
      Image: e.image,
      ImageID: e.imageId,
      Command: psCommand(e.live.record.Path, e.live.record.Args),
      Created: Math.floor(millisFromNanos(e.created) / 1000),
      Ports: e.ports,
      Labels: e.labels,
      State: e.status,
      Status: containerStatusText(e.live.state.facts()),
      HostConfig: { NetworkMode: e.live.record.HostConfig.NetworkMode },
      NetworkSettings: { Networks: this.networks.summary(e.live.record) },
      Mounts: mountsForApi(e.live.record.MountPoints),
    }));
  }

  // --- system -------------------------------------------------------------------------------

  /** `GET /info`. */
  info(): SystemInfo {
    const all = [...this.live.values()];
    const paused = all.filter((l) => l.state.paused).length;
    const running = all.filter((l) => l.state.running && !l.state.paused).length;
    const g = this.graph.info();
    return systemInfo({
      id: this.engineId(),
      containers: { running, paused, stopped: all.length - running - paused },
      images: this.images.count(),
      driver: g.driver,
      driverStatus: g.status,
      root: this.options.root,
      debug: this.options.debug ?? false,
      eventListeners: this.events.subscriberCount,
      serverVersion: this.options.version ?? '1.7.1',
      sys: this.kernel,
      userns: this.options.userns !== undefined,
    });
  }

  /** A stable identifier of this engine's root (Docker's daemon ID), kept in `<root>/engine-id`. */
  private engineId(): string {
    const file = join(this.options.root, 'engine-id');
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      const id = generateId();
      writeFileSync(file, `${id}\n`);
      return id;
    }
  }

  /** Releases the root (mounts held here, database, lock); running containers keep running. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const live of this.live.values()) {
      live.restart?.cancel();
      live.watcher?.close();
    }
    void this.distribution.close();
    void this.network.close();
    this.graph.close();
    this.graph.db.close();
    this.removeEmptyCgroupParent();
    this.lock.release();
  }

  /** The cgroup parent goes with the last container in it; rmdir fails harmlessly while any remain. */
  private removeEmptyCgroupParent(): void {
    const host = cgroupHost();
    const roots = host.version === 1 ? new Set(host.controllers.values()) : new Set(host.unified ? [host.unified] : []);
    for (const root of roots) {
      try {
        rmdirSync(join(root, this.options.cgroupParent ?? 'berth'));
      } catch {
        // still in use (EBUSY), or never made (ENOENT)
      }
    }
  }
}
