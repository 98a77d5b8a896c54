// Docker's classic builder on an engine: every instruction of every stage as a step, each a
// cache probe and, on a miss, a container (RUN), a copy into a fresh layer (ADD/COPY) or a
// `#(nop)` commit (metadata), with Docker's output lines.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Writable as WritableStream } from 'node:stream';
import { NO_BASE_IMAGE, pairToHost, type Engine } from '@berth/engine-core';
import { expandWord, fromStage, parse, parseFlags, splitWords, type Instruction } from '@berth/dockerfile-parser';
import { extractContext } from './context.js';
import { BuildError, copyInto, downloadSource, localSources, sourcesChecksum, type Owner, type Source } from './copy.js';
import { healthConfig } from './healthcheck.js';
import { readIgnoreFile, IgnoreMatcher } from './ignore.js';
import { remoteContext } from './remote.js';
import { resolveOwner } from './owner.js';
import {
  allowedArgs,
  copyConfig,
  expansionEnv,
  nopCmd,
  sameBuildConfig,
  setEnv,
  shellOf,
  stageConfig,
  type Config,
  type StageState,
} from './state.js';

type CreateRequest = Parameters<Engine['createContainer']>[0];

/** Resource and network settings of RUN containers (`docker build -m … --network …`). */
export interface RunHostConfig {
  Memory?: number;
  MemorySwap?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  CgroupParent?: string;
  ShmSize?: number;
  NetworkMode?: string;
}

export interface BuildOptions {
  /** The Dockerfile's path in the context (default `Dockerfile`, falling back to `dockerfile`). */
  dockerfile?: string;
  /** `name[:tag]` references for the result. */
  tags?: string[];
  noCache?: boolean;
  /** Remove intermediate containers after a successful step (default true). */
  rm?: boolean;
  /** Remove intermediate containers even after a failure. */
  forceRm?: boolean;
  quiet?: boolean;
  buildArgs?: Record<string, string | null>;
  labels?: Record<string, string>;
  target?: string;
  /** Pull FROM images even when present (`--pull`). */
  pull?: boolean;
  /** A context URL (git or tarball or Dockerfile) instead of the body. */
  remote?: string;
  hostConfig?: RunHostConfig;
  /** Aborted when the client goes away: the build stops (`Build cancelled`), a running RUN is killed. */
  signal?: AbortSignal;
}

/** Where the build writes: the JSON messages of POST /build without their framing. */
export interface BuildOutput {
  stream(text: string): void;
  aux(value: unknown): void;
  /** A pull's progress message (status/progressDetail), written as it is. */
  progress(message: object): void;
}

const EMPTY_BUILD = 'No image was generated. Is your Dockerfile empty?';

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** `K=V` entries of the args that have a value. */
const argEnv = (args: ReadonlyMap<string, string | undefined>): string[] =>
  [...args].filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);

/** A line writer that forwards container output as build stream messages. */
function streamWriter(out: BuildOutput): Writable {
  return new WritableStream({
    write(chunk: Buffer, _enc, cb) {
      out.stream(chunk.toString('utf8'));
      cb();
    },
  });
}

interface Stage {
  from: Instruction;
  commands: Instruction[];
}

/** One build: its context directory, options, output and the intermediate containers it made. */
class Build {
  private readonly stages: StageState[] = [];
  private readonly temps = new Set<string>();
  private readonly usedArgs = new Set<string>();
  private cacheBusted = false;
  private step = 0;
  private total = 0;

  constructor(
    private readonly engine: Engine,
    private readonly context: string,
    private readonly work: string,
    private readonly opts: BuildOptions,
    private readonly out: BuildOutput,
  ) {}

  private say(text: string): void {
    if (!this.opts.quiet) this.out.stream(text);
  }

  private printStep(inst: Instruction): void {
    if (this.opts.signal?.aborted) throw new BuildError('Build cancelled');
    this.step++;
    this.say(`Step ${this.step}/${this.total} : ${inst.original.trim()}\n`);
  }

  async run(dockerfileText: string): Promise<string> {
    let parsed;
    try {
      parsed = parse(dockerfileText);
    } catch (e) {
      const line = (e as { startLine?: number }).startLine;
      throw new BuildError(line ? `dockerfile parse error on line ${line}: ${(e as Error).message}` : (e as Error).message);
    }
    const metaArgs: Instruction[] = [];
    const stages: Stage[] = [];
    for (const inst of parsed.instructions) {
      if (inst.keyword === 'FROM') stages.push({ from: inst, commands: [] });
      else if (stages.length === 0) {
        if (inst.keyword !== 'ARG') throw new BuildError('Please provide a source image with `from` prior to commit');
        metaArgs.push(inst);
      } else stages[stages.length - 1]!.commands.push(inst);
    }
    if (stages.length === 0) throw new BuildError(EMPTY_BUILD);
    let last = stages.length - 1;
    if (this.opts.target) {
      last = stages.findIndex((s) => fromStage(s.from).name === this.opts.target!.toLowerCase());
      if (last < 0) throw new BuildError(`failed to reach build target ${this.opts.target} in Dockerfile`);
    }
    const chosen = stages.slice(0, last + 1);
    const labels = Object.entries(this.opts.labels ?? {});
    this.total = metaArgs.length + chosen.reduce((n, s) => n + 1 + s.commands.length, 0) + (labels.length > 0 ? 1 : 0);

    const meta = new Map<string, string | undefined>();
    for (const inst of metaArgs) {
      this.printStep(inst);
      for (const kv of inst.keyValues ?? []) {
        const name = kv.key;
        const given = this.buildArg(name);
        meta.set(name, given ?? (kv.separator === '=' ? expandWord(kv.value, argEnv(meta)) : undefined));
      }
    }
    for (const [i, s] of chosen.entries()) {
      const state = await this.from(s.from, meta);
      this.stages.push(state);
      for (const inst of s.commands) {
        this.printStep(inst);
        await this.dispatch(inst, state);
        this.say(` ---> ${short(state.imageId)}\n`);
      }
      if (i === chosen.length - 1 && labels.length > 0) {
        const text = labels.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${JSON.stringify(k)}='${v}'`).join(' ');
        const inst = parse(`LABEL ${text}`).instructions[0]!;
        this.printStep(inst);
        await this.dispatch(inst, state);
        this.say(` ---> ${short(state.imageId)}\n`);
      }
    }
    const unused = Object.keys(this.opts.buildArgs ?? {}).filter((k) => !this.usedArgs.has(k) && !meta.has(k)).sort();
    if (unused.length > 0) this.say(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    const id = this.stages[this.stages.length - 1]!.imageId;
    if (id === '') throw new BuildError(EMPTY_BUILD);
    return id;
  }

  private buildArg(name: string): string | undefined {
    const args = this.opts.buildArgs ?? {};
    if (!Object.prototype.hasOwnProperty.call(args, name)) return undefined;
    this.usedArgs.add(name);
    // `--build-arg NAME` with NAME unset in the client's environment arrives as null: the default applies.
    return args[name] ?? undefined;
  }

  // --- FROM and ONBUILD triggers ----------------------------------------------------------------

  /** FROM's image: pulled first under --pull, and pulled when missing, as Docker's builder does. */
  private async baseImage(ref: string): Promise<ReturnType<Engine['images']['resolve']>> {
    if (!this.opts.pull) {
      try {
        return this.engine.images.resolve(ref);
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      }
    }
    await this.engine.distribution.pull(ref, { progress: (m) => this.out.progress(m), ...(this.opts.signal ? { signal: this.opts.signal } : {}) });
    return this.engine.images.resolve(ref);
  }

  private async from(inst: Instruction, meta: Map<string, string | undefined>): Promise<StageState> {
    this.printStep(inst);
    const stage = fromStage(inst);
    const ref = expandWord(stage.image, argEnv(meta));
    const byName = this.stages.find((s) => s.name !== undefined && s.name === ref.toLowerCase());
    let imageId: string;
    let imageConfig: Record<string, unknown> | undefined;
    if (byName) {
      imageId = byName.imageId;
      imageConfig = byName.config as unknown as Record<string, unknown>;
    } else if (ref === NO_BASE_IMAGE) {
      // No image: the first step's container has an empty rootfs and its commit no parent.
      imageId = '';
    } else {
      const img = await this.baseImage(ref);
      imageId = img.id;
      imageConfig = img.config.config;
    }
    const state: StageState = { imageId, config: stageConfig(imageConfig), cmdSet: false, args: new Map(), meta, ...(stage.name ? { name: stage.name } : {}) };
    // Triggers fire once: the child's own images do not carry them.
    const triggers = state.config.OnBuild ?? [];
    state.config.OnBuild = null;
    if (triggers.length > 0) {
      this.say(`# Executing ${triggers.length} build trigger${triggers.length === 1 ? '' : 's'}\n`);
      for (const text of triggers) {
        const trigger = parse(text).instructions[0];
        if (trigger) await this.dispatch(trigger, state);
      }
    }
    this.say(` ---> ${short(state.imageId)}\n`);
    return state;
  }

  // --- dispatch -----------------------------------------------------------------------------

  private words(inst: Instruction, state: StageState): string[] {
    const env = expansionEnv(state);
    return inst.json ? inst.args.map((a) => expandWord(a, env)) : inst.args.flatMap((a) => splitWords(a, env));
  }

  private async dispatch(inst: Instruction, state: StageState): Promise<void> {
    const env = expansionEnv(state);
    const c = state.config;
    switch (inst.keyword) {
      case 'RUN':
        return this.runStep(inst, state);
      case 'ADD':
      case 'COPY':
        return this.copyStep(inst, state);
      case 'ENV': {
        const parts: string[] = [];
        for (const kv of inst.keyValues ?? []) {
          const key = expandWord(kv.key, env);
          const value = expandWord(kv.value, env);
          c.Env = setEnv(c.Env, key, value);
          parts.push(`${key}=${value}`);
        }
        return this.commitNop(state, `ENV ${parts.join(' ')}`);
      }
      case 'LABEL': {
        const parts: string[] = [];
        c.Labels = { ...(c.Labels ?? {}) };
        for (const kv of inst.keyValues ?? []) {
          const key = expandWord(kv.key, env);
          const value = expandWord(kv.value, env);
          c.Labels[key] = value;
          parts.push(`${key}=${value}`);
        }
        return this.commitNop(state, `LABEL ${parts.join(' ')}`);
      }
      case 'MAINTAINER': {
        state.author = inst.args.join(' ');
        return this.commitNop(state, `MAINTAINER ${inst.args.join(' ')}`);
      }
      case 'CMD': {
        c.Cmd = inst.json ? [...inst.args] : [...shellOf(c), inst.args.join(' ')];
        state.cmdSet = true;
        return this.commitNop(state, `CMD ${goQuoteList(c.Cmd)}`);
      }
      case 'ENTRYPOINT': {
        c.Entrypoint = inst.json ? (inst.args.length === 0 ? null : [...inst.args]) : [...shellOf(c), inst.args.join(' ')];
        if (!state.cmdSet) c.Cmd = null;
        return this.commitNop(state, `ENTRYPOINT ${goQuoteList(c.Entrypoint ?? [])}`);
      }
      case 'EXPOSE': {
        const added = new Set<string>();
        for (const w of this.words(inst, state)) {
          const [range = '', proto = 'tcp'] = w.split('/');
          const [lo, hi = lo] = range.split('-').map(Number) as [number, number?];
          if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new BuildError(`Invalid containerPort: ${w}`);
          for (let p = lo; p <= hi!; p++) added.add(`${p}/${proto.toLowerCase()}`);
        }
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries([...added].map((p) => [p, {}])) };
        return this.commitNop(state, `EXPOSE ${[...added].sort().join(' ')}`);
      }
      case 'VOLUME': {
        const vols = { ...(c.Volumes ?? {}) };
        const list = this.words(inst, state);
        for (const v of list) {
          if (v.trim() === '') throw new BuildError('VOLUME specified can not be an empty string');
          vols[v] = {};
        }
        c.Volumes = vols;
        return this.commitNop(state, `VOLUME [${list.join(' ')}]`);
      }
      case 'USER': {
        const [user] = this.words(inst, state);
        c.User = user ?? '';
        return this.commitNop(state, `USER ${c.User}`);
      }
      case 'WORKDIR': {
        const dir = expandWord(inst.args[0] ?? '', env);
        c.WorkingDir = posix.isAbsolute(dir) ? posix.normalize(dir) : posix.join('/', c.WorkingDir || '/', dir);
        if (c.WorkingDir.length > 1) c.WorkingDir = c.WorkingDir.replace(/\/+$/, '');
        return this.commitNop(state, `WORKDIR ${c.WorkingDir}`);
      }
      case 'STOPSIGNAL': {
        c.StopSignal = expandWord(inst.args[0] ?? '', env);
        return this.commitNop(state, `STOPSIGNAL ${c.StopSignal}`);
      }
      case 'SHELL': {
        if (!inst.json) throw new BuildError('SHELL requires the arguments to be in JSON form');
        c.Shell = [...inst.args];
        return this.commitNop(state, `SHELL ${goQuoteList(c.Shell)}`);
      }
      case 'ONBUILD': {
        const sub = inst.subInstruction;
        if (!sub) throw new BuildError('ONBUILD requires at least one argument');
        if (sub.keyword === 'ONBUILD') throw new BuildError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (sub.keyword === 'FROM' || sub.keyword === 'MAINTAINER') throw new BuildError(`${sub.keyword} isn't allowed as an ONBUILD trigger`);
        const text = inst.original.replace(/^\s*ONBUILD\s*/i, '').trim();
        c.OnBuild = [...(c.OnBuild ?? []), text];
        return this.commitNop(state, `ONBUILD ${text}`);
      }
      case 'ARG':
        return this.argStep(inst, state);
      case 'HEALTHCHECK': {
        c.Healthcheck = healthConfig(inst);
        return this.commitNop(state, `HEALTHCHECK ${JSON.stringify(c.Healthcheck)}`);
      }
      case 'FROM':
        throw new BuildError('FROM is not allowed here');
    }
    throw new BuildError(`unknown instruction: ${inst.keyword}`);
  }

  private argStep(inst: Instruction, state: StageState): Promise<void> {
    const env = expansionEnv(state);
        const parts: string[] = [];
    for (const kv of inst.keyValues ?? []) {
      const name = kv.key;
      const dflt = kv.separator === '=' ? expandWord(kv.value, env) : state.meta.get(name);
      const value = this.buildArg(name) ?? dflt;
      state.args.set(name, value);
      parts.push(kv.separator === '=' ? `${name}=${dflt}` : name);
    }
    return this.commitNop(state, `ARG ${parts.join(' ')}`);
  }

  // --- cache and commits ----------------------------------------------------------------------

  /** A cached image made from the current one by the same step, when the cache may be used. */
  private probe(state: StageState, probe: Config): boolean {
    if (this.opts.noCache || this.cacheBusted) return false;
    const graph = this.engine.graph.images;
    const hits = graph
      .children(state.imageId || null)
      .map((id) => graph.get(id))
      .filter((img) => sameBuildConfig(img.config.container_config as Partial<Config> | undefined, probe))
      .sort((a, b) => (b.config.created ?? '').localeCompare(a.config.created ?? ''));
    const hit = hits[0];
    if (!hit) {
      this.cacheBusted = true;
      return false;
    }
    this.say(' ---> Using cache\n');
    state.imageId = hit.id;
    return true;
  }

  private createContainer(state: StageState, config: Config, forRun: boolean): string {
    const req: CreateRequest = {
      ...(config as unknown as CreateRequest),
      Image: state.imageId,
      HostConfig: forRun ? { ...(this.opts.hostConfig ?? {}) } : {},
    } as CreateRequest;
    const { Id, Warnings } = this.engine.createContainer(req, '', undefined, state.imageId === '');
    this.temps.add(Id);
    for (const w of Warnings ?? []) this.say(` ---> [Warning] ${w}\n`);
    return Id;
  }

  private async commitContainer(state: StageState, id: string, probe: Config): Promise<void> {
    const config = copyConfig(state.config);
    config.Image = state.imageId;
    const author = state.author;
    state.imageId = await this.engine.commit(id, {
      config,
      containerConfig: probe,
      createdBy: (probe.Cmd ?? []).join(' '),
      pause: false,
      ...(author ? { author } : {}),
    });
  }

  /** Removes this build's intermediate containers, saying so. */
  async removeTemps(): Promise<void> {
    for (const id of [...this.temps]) {
      try {
        await this.engine.remove(id, { force: true, volumes: true });
        this.say(`Removing intermediate container ${short(id)}\n`);
      } catch (e) {
        this.say(`Removing intermediate container ${short(id)}: ${(e as Error).message}\n`);
      }
      this.temps.delete(id);
    }
  }

  private async afterCommit(): Promise<void> {
    if (this.opts.rm !== false) await this.removeTemps();
    else this.temps.clear();
  }

  private async commitNop(state: StageState, comment: string): Promise<void> {
    const probe = copyConfig(state.config);
    probe.Cmd = nopCmd(state.config, comment);
    if (this.probe(state, probe)) return;
    const id = this.createContainer(state, probe, false);
    this.say(` ---> Running in ${short(id)}\n`);
    await this.commitContainer(state, id, probe);
    await this.afterCommit();
  }

  // --- RUN ------------------------------------------------------------------------------------

  private async runStep(inst: Instruction, state: StageState): Promise<void> {
    const c = state.config;
    const cmd = inst.json ? [...inst.args] : [...shellOf(c), inst.args.join(' ')];
    const args = allowedArgs(state);
    const saveCmd = args.length > 0 ? [`|${args.length}`, ...args, ...cmd] : cmd;
    const probe = copyConfig(c);
    probe.Cmd = saveCmd;
    probe.Entrypoint = null;
    if (this.probe(state, probe)) return;
    const runConfig = copyConfig(c);
    runConfig.Cmd = cmd;
    runConfig.Entrypoint = [];
    runConfig.Env = [...(c.Env ?? []), ...args];
    runConfig.AttachStdout = true;
    runConfig.AttachStderr = true;
    const id = this.createContainer(state, runConfig, true);
    this.say(` ---> Running in ${short(id)}\n`);
    const sink = this.opts.quiet ? new WritableStream({ write: (_c, _e, cb) => cb() }) : streamWriter(this.out);
    const attached = this.engine.attach(id, { stdout: sink, stderr: sink });
    const exited = this.engine.wait(id, 'next-exit');
    await this.engine.start(id);
    const cancel = (): void => void this.engine.kill(id).catch(() => {});
    this.opts.signal?.addEventListener('abort', cancel);
    if (this.opts.signal?.aborted) cancel();
    const { StatusCode } = await exited.finally(() => this.opts.signal?.removeEventListener('abort', cancel));
    if (this.opts.signal?.aborted) throw new BuildError('Build cancelled');
    const attachment = await attached;
    await attachment.done;
    if (StatusCode !== 0) throw new BuildError(`The command '${cmd.join(' ')}' returned a non-zero code: ${StatusCode}`, StatusCode);
    await this.commitContainer(state, id, probe);
    await this.afterCommit();
  }

  // --- ADD / COPY -----------------------------------------------------------------------------

  private async copyStep(inst: Instruction, state: StageState): Promise<void> {
    const cmd = inst.keyword as 'ADD' | 'COPY';
    const flags = cmd === 'COPY' ? parseFlags(inst, { from: 'string', chown: 'string', chmod: 'string', link: 'bool' }) : parseFlags(inst, { chown: 'string', chmod: 'string', link: 'bool', checksum: 'string', 'keep-git-dir': 'bool' });
    const words = this.words(inst, state);
    if (words.length < 2) throw new BuildError(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined.`);
    const srcs = words.slice(0, -1);
    let dest = words[words.length - 1]!;
    if (!posix.isAbsolute(dest)) {
      const slash = dest.endsWith('/') || dest === '.' ? '/' : '';
      dest = posix.join('/', state.config.WorkingDir || '/', dest) + slash;
      dest = dest.replace(/\/+$/, slash === '/' ? '/' : '') || '/';
    }
    const from = 'from' in flags ? flags.from : undefined;
    const { root, release } = from === undefined ? { root: this.context, release: undefined } : this.sourceRoot(expandWord(from, expansionEnv(state)));
    try {
      const sources: Source[] = [];
      for (const s of srcs) {
        if (/^https?:\/\//.test(s)) {
          if (cmd === 'COPY') throw new BuildError("COPY failed: source can't be a URL for COPY");
          sources.push(await downloadSource(s, join(this.work, 'downloads')));
        } else sources.push(...localSources(cmd, root, [s]));
      }
      const hash = sourcesChecksum(sources);
      const chown = flags.chown !== undefined ? expandWord(flags.chown, expansionEnv(state)) : undefined;
      const comment = `${cmd} ${chown ? `--chown=${chown} ` : ''}${hash} in ${dest} `;
      const probe = copyConfig(state.config);
      probe.Cmd = nopCmd(state.config, comment, true);
      if (this.probe(state, probe)) return;
      // A copy's container is the builder's own (Docker uses none): removed without a line, even on failure.
      const { Id: id } = this.engine.createContainer({ ...(probe as unknown as CreateRequest), Image: state.imageId } as CreateRequest, '', undefined, state.imageId === '');
      try {
        const layers = this.engine.graph.layers;
        const rootfs = layers.mountRW(id);
        try {
          // under --userns-remap the files belong to the container's IDs as the host stores them
          const hostIds = (ids: Owner): Owner => pairToHost(ids, this.engine.graph.idMap);
          const owner = hostIds(chown ? resolveOwner(rootfs, chown) : { uid: 0, gid: 0 });
          await copyInto(rootfs, sources, { cmd, dest, owner, hostIds });
        } finally {
          layers.unmountRW(id);
        }
        await this.commitContainer(state, id, probe);
      } finally {
        await this.engine.remove(id, { force: true });
      }
    } finally {
      release?.();
    }
  }

  /** What COPY --from=ref reads: a stage's or an image's files, mounted until `release`. */
  private sourceRoot(ref: string): { root: string; release?: () => void } {
    const stage = /^\d+$/.test(ref) ? this.stages[Number(ref)] : this.stages.find((s) => s.name === ref.toLowerCase());
    // A stage still `FROM scratch` has no files (moby copies from an empty layer).
    if (stage?.imageId === '') return { root: mkdtempSync(join(this.work, 'scratch-')) };
    const img = this.engine.images.resolve(stage ? stage.imageId : ref);
    const top = img.topLayer;
    if (top === null) throw new BuildError(`COPY --from: image ${ref} has no layers`);
    const layers = this.engine.graph.layers;
    return { root: layers.mountLayer(top), release: () => layers.putLayer(top) };
  }
}

/** Go's `%q` of a string slice: `["/bin/sh" "-c" "echo hi"]`. */
function goQuoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** The Dockerfile text: the given name, else `Dockerfile` falling back to `dockerfile`. */
function readDockerfile(dir: string, name: string | undefined): string {
  const candidates = name ? [name] : ['Dockerfile', 'dockerfile'];
  for (const c of candidates) {
    const p = join(dir, posix.normalize(`/${c}`));
    if (existsSync(p) && lstatSync(p).isFile()) {
      const text = readFileSync(p, 'utf8');
      if (text.trim() === '') throw new BuildError(`the Dockerfile (${c}) cannot be empty`);
      return text;
    }
  }
  throw new BuildError(`Cannot locate specified Dockerfile: ${name ?? 'Dockerfile'}`);
}

/** Removes what .dockerignore excludes from the unpacked context (the client may have sent it anyway). */
function applyDockerignore(dir: string): void {
  const file = join(dir, '.dockerignore');
  if (!existsSync(file)) return;
  const matcher = new IgnoreMatcher(readIgnoreFile(readFileSync(file, 'utf8')));
  const walk = (rel: string): void => {
    for (const entry of readdirSync(rel === '' ? dir : join(dir, rel)).sort()) {
      const path = rel === '' ? entry : `${rel}/${entry}`;
      const full = join(dir, path);
      const isDir = lstatSync(full).isDirectory();
      if (matcher.excludes(path)) {
        if (!isDir || !matcher.hasExceptions) {
          rmSync(full, { recursive: true, force: true });
          continue;
        }
      }
      if (isDir) walk(path);
    }
  };
  walk('');
}

/**
 * Builds an image: the context from `body` (a tar, possibly compressed) or `opts.remote`, the
 * steps' output to `out`. Returns the image ID; throws BuildError with Docker's message on failure.
 */
export async function build(engine: Engine, body: Readable | undefined, opts: BuildOptions, out: BuildOutput): Promise<string> {
  const tmp = join(engine.options.root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const work = mkdtempSync(join(tmp, 'docker-build'));
  let b: Build | undefined;
  try {
    let context = join(work, 'context');
    if (opts.remote) context = await remoteContext(opts.remote, context, opts.dockerfile ?? 'Dockerfile');
    else if (body) {
      mkdirSync(context);
      await extractContext(body, context);
    } else throw new BuildError('no build context given');
    const dockerfile = readDockerfile(context, opts.dockerfile);
    applyDockerignore(context);
    b = new Build(engine, context, work, opts, out);
    const id = await b.run(dockerfile);
    out.aux({ ID: id });
    if (opts.quiet) out.stream(`${id}\n`);
    else out.stream(`Successfully built ${short(id)}\n`);
    for (const t of opts.tags ?? []) {
      const { repo, tag } = splitTag(t);
      engine.images.tag(id, repo, tag);
      if (!opts.quiet) out.stream(`Successfully tagged ${repo}:${tag || 'latest'}\n`);
    }
    return id;
  } catch (e) {
    if (b && opts.forceRm) await b.removeTemps();
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `name[:tag]` → repository and tag (a `:` after the last `/` starts the tag). */
export function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: '' };
}
