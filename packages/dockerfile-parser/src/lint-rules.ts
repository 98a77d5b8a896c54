// Each rule: an ID (the book's best-practice IDs, BP…; DF… for chapter 7's pitfalls), a severity,
// and a check over the parsed file.
import type { Dockerfile, Instruction } from './ast.js';
import type { Severity } from './lint.js';
import { aptGet, commandWords, simpleCommands, type AptGet } from './shell-commands.js';

export interface LintContext {
  ast: Dockerfile;
  /** Instructions grouped by FROM. */
  stages: Instruction[][];
}

export interface Finding {
  at: { startLine: number; endLine: number };
  message: string;
}

export interface LintRule {
  id: string;
  severity: Severity;
  description: string;
  check(context: LintContext): Finding[];
}

/** Docker 1.7's image depth limit (image.MaxImageDepth); the book says 126. */
const MAX_DEPTH = 127;

const shellRuns = (instructions: readonly Instruction[]): Instruction[] =>
  instructions.filter((i) => i.keyword === 'RUN' && !i.json && i.args.length > 0);

const aptCalls = (run: Instruction): AptGet[] =>
  simpleCommands(run.args[0] ?? '').flatMap((c) => aptGet(c) ?? []);

const all = (ctx: LintContext): Instruction[] => ctx.ast.instructions;

function perInstruction(pick: (i: Instruction) => string | undefined): (ctx: LintContext) => Finding[] {
  return (ctx) =>
    all(ctx).flatMap((at) => {
      const message = pick(at);
      return message === undefined ? [] : [{ at, message }];
    });
}

/** Several of one instruction in a stage where only the last counts. */
function lastOneCounts(keyword: string): (ctx: LintContext) => Finding[] {
  return (ctx) =>
    ctx.stages.flatMap((stage) => {
      const found = stage.filter((i) => i.keyword === keyword);
      return found.slice(0, -1).map((at) => ({
        at,
        message: `${keyword} on line ${at.startLine} is overridden by the ${keyword} on line ${found[found.length - 1]!.startLine}; only the last ${keyword} takes effect`,
      }));
    });
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$/i;
const URL = /^https?:\/\//i;

export const LINT_RULES: readonly LintRule[] = [
  {
    id: 'DF-FROM-FIRST',
    severity: 'error',
    description: 'FROM must be the first instruction (only ARG may precede it).',
    check: (ctx) => {
      const first = all(ctx).find((i) => i.keyword !== 'ARG');
      if (first === undefined || first.keyword === 'FROM') return [];
      return [{ at: first, message: 'Please provide a source image with `from` prior to commit' }];
    },
  },
  {
    id: 'BP05',
    severity: 'warning',
    description: 'Control the layer count: consecutive RUNs each add a layer and can be chained with &&.',
    check: (ctx) =>
      ctx.stages.flatMap((stage) => {
        const findings: Finding[] = [];
        for (let i = 0; i < stage.length; ) {
          let j = i;
          while (j < stage.length && stage[j]!.keyword === 'RUN') j++;
          if (j - i > 1) {
            findings.push({
              at: { startLine: stage[i]!.startLine, endLine: stage[j - 1]!.endLine },
              message: `${j - i} consecutive RUN instructions make ${j - i} layers; chain the commands with && in one RUN`,
            });
          }
          i = Math.max(j, i + 1);
        }
        return findings;
      }),
  },
  {
    id: 'DF-LAYERS',
    severity: 'error',
    description: `An image may not be deeper than ${MAX_DEPTH} layers, counting its base image.`,
    check: (ctx) =>
      ctx.stages.flatMap((stage) => {
        // Every instruction but FROM commits a layer; a container adds two more (init and read-write).
        const layers = stage.filter((i) => i.keyword !== 'FROM').length;
        if (layers + 2 < MAX_DEPTH) return [];
        const at = { startLine: stage[0]!.startLine, endLine: stage[stage.length - 1]!.endLine };
        return [{ at, message: `this stage adds ${layers} layers; Docker cannot create containers with more than ${MAX_DEPTH} parents` }];
      }),
  },
  {
    id: 'BP06',
    severity: 'info',
    description: 'Sort multi-line package lists alphabetically, one per line, continuation written as " \\".',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) => {
        const findings: Finding[] = [];
        for (const apt of aptCalls(at)) {
          if (apt.subcommand !== 'install') continue;
          const sorted = [...apt.operands].sort();
          if (apt.operands.some((p, k) => p !== sorted[k])) {
            findings.push({ at, message: `apt-get install packages are not sorted: ${apt.operands.join(' ')}` });
          }
        }
        const escape = ctx.ast.escapeToken;
        // Walk the continued lines (blank and comment lines inside may be skipped) up to the last one.
        for (let n = at.startLine; n < at.endLine; n++) {
          const trimmed = (ctx.ast.lines[n - 1] ?? '').replace(/[ \t]+$/, '');
          if (trimmed.trim() === '' || trimmed.trim().startsWith('#')) continue;
          if (!trimmed.endsWith(escape) || trimmed.endsWith(escape + escape)) break;
          if (trimmed.length > 1 && !/[ \t]/.test(trimmed[trimmed.length - 2]!)) {
            findings.push({ at: { startLine: n, endLine: n }, message: `write the line continuation as " ${escape}" (a blank before it)` });
          }
        }
        return findings;
      }),
  },
  {
    id: 'BP-RUN-2',
    severity: 'warning',
    description: 'Never RUN apt-get update alone: a cached update makes later installs stale.',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) => {
        const calls = aptCalls(at);
        const update = calls.some((c) => c.subcommand === 'update');
        const install = calls.some((c) => c.subcommand === 'install');
        return update && !install ? [{ at, message: 'apt-get update without apt-get install in the same RUN; use RUN apt-get update && apt-get install -y …' }] : [];
      }),
  },
  {
    id: 'BP-RUN-3',
    severity: 'warning',
    description: 'Avoid apt-get upgrade and dist-upgrade; install the specific packages instead.',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) =>
        aptCalls(at)
          .filter((c) => c.subcommand === 'upgrade' || c.subcommand === 'dist-upgrade')
          .map((c) => ({ at, message: `avoid apt-get ${c.subcommand}; use apt-get install -y <package> for what needs updating` })),
      ),
  },
  {
    id: 'BP-RUN-4',
    severity: 'warning',
    description: 'apt-get install must not wait for an answer: use -y.',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) =>
        aptCalls(at)
          .filter((c) => c.subcommand === 'install' && !c.options.some((o) => /^(-[a-z]*y[a-z]*|--yes|--assume-yes)$/.test(o)))
          .map(() => ({ at, message: 'apt-get install without -y stops at the confirmation prompt' })),
      ),
  },
  {
    id: 'BP-RUN-5',
    severity: 'warning',
    description: 'Install packages with one apt-get install, not several chained.',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) => {
        const installs = aptCalls(at).filter((c) => c.subcommand === 'install').length;
        return installs > 1 ? [{ at, message: `${installs} apt-get install commands in one RUN; list all packages in one apt-get install -y` }] : [];
      }),
  },
  {
    id: 'DF-EXEC-NO-ENV',
    severity: 'warning',
    description: 'The exec form runs no shell, so $VARIABLES are passed literally.',
    check: perInstruction((i) =>
      ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.keyword) && i.json && i.args.some((a) => /\$\{?[A-Za-z_]/.test(a))
        ? `the exec form does not expand variables; use ["sh", "-c", "…$VAR…"] with the command as one string`
        : undefined,
    ),
  },
  {
    id: 'DF-JSON-QUOTES',
    severity: 'warning',
    description: 'An exec form needs JSON: double quotes only. Anything else runs as a shell command.',
    check: perInstruction((i) => {
      if (!['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'ADD', 'COPY'].includes(i.keyword) || i.json) return undefined;
      const text = i.args.join(' ').trim();
      return text.startsWith('[') && text.endsWith(']')
        ? `${i.keyword} argument looks like an array but is not valid JSON (use double quotes); it is used in shell form`
        : undefined;
    }),
  },
  {
    id: 'BP-CMD-1',
    severity: 'info',
    description: 'Prefer the exec form CMD ["executable", "param", …].',
    check: perInstruction((i) => (i.keyword === 'CMD' && !i.json && i.args.length > 0 ? 'CMD in shell form runs under /bin/sh -c; prefer CMD ["executable", "param"]' : undefined)),
  },
  {
    id: 'BP-CMD-3',
    severity: 'warning',
    description: 'CMD ["param", …] only gives parameters to an ENTRYPOINT.',
    check: (ctx) =>
      ctx.stages.flatMap((stage) => {
        if (stage.some((i) => i.keyword === 'ENTRYPOINT')) return [];
        return stage
          .filter((i) => i.keyword === 'CMD' && i.json && (i.args[0] ?? '').startsWith('-'))
          .map((at) => ({ at, message: `CMD ${JSON.stringify(at.args)} looks like parameters, but the stage has no ENTRYPOINT` }));
      }),
  },
  { id: 'DF-CMD-ONCE', severity: 'warning', description: 'Only the last CMD counts.', check: lastOneCounts('CMD') },
  { id: 'DF-ENTRYPOINT-ONCE', severity: 'warning', description: 'Only the last ENTRYPOINT counts.', check: lastOneCounts('ENTRYPOINT') },
  {
    id: 'BP-ENTRY-3',
    severity: 'warning',
    description: 'A shell-form ENTRYPOINT without exec is not PID 1 and ignores docker stop.',
    check: perInstruction((i) =>
      i.keyword === 'ENTRYPOINT' && !i.json && i.args.length > 0 && !/^exec\s/.test(i.args[0]!)
        ? 'shell-form ENTRYPOINT runs under /bin/sh -c, so the program is not PID 1 and docker stop must kill it; use the exec form or start with exec'
        : undefined,
    ),
  },
  {
    id: 'BP-ADD-1',
    severity: 'warning',
    description: 'Prefer COPY; use ADD only to unpack a local tar archive.',
    check: perInstruction((i) => {
      if (i.keyword !== 'ADD' || i.args.length < 2) return undefined;
      const sources = i.args.slice(0, -1);
      return sources.every((s) => !URL.test(s) && !ARCHIVE.test(s)) ? 'ADD of plain files: use COPY (ADD is for unpacking local tar archives)' : undefined;
    }),
  },
  {
    id: 'BP-ADD-3',
    severity: 'warning',
    description: 'Do not ADD remote URLs; download, unpack and clean up in one RUN.',
    check: perInstruction((i) =>
      i.keyword === 'ADD' && i.args.slice(0, -1).some((s) => URL.test(s))
        ? 'ADD of a URL keeps the download in a layer for good; use RUN curl … | tar … && … and delete what is not needed'
        : undefined,
    ),
  },
  {
    id: 'BP-USER-2',
    severity: 'warning',
    description: 'Do not use sudo in a build; drop privileges with USER or gosu.',
    check: (ctx) =>
      shellRuns(all(ctx)).flatMap((at) =>
        simpleCommands(at.args[0] ?? '').some((c) => c[0] === 'sudo') ? [{ at, message: 'sudo in RUN; RUN already runs as the current USER (use gosu to drop privileges at run time)' }] : [],
      ),
  },
  {
    id: 'BP-USER-3',
    severity: 'info',
    description: 'Avoid switching USER back and forth.',
    check: (ctx) =>
      ctx.stages.flatMap((stage) => {
        const seen = new Set<string>();
        let current: string | undefined;
        const findings: Finding[] = [];
        for (const at of stage.filter((i) => i.keyword === 'USER')) {
          const user = at.args[0] ?? '';
          if (seen.has(user) && user !== current) findings.push({ at, message: `USER switches back to ${user}; each switch is a layer` });
          seen.add(user);
          current = user;
        }
        return findings;
      }),
  },
  {
    id: 'BP-WORKDIR-1',
    severity: 'warning',
    description: 'Use absolute WORKDIR paths and WORKDIR instead of RUN cd … &&.',
    check: (ctx) => [
      ...all(ctx)
        .filter((i) => i.keyword === 'WORKDIR' && i.args.length > 0 && !/^(\/|\$)/.test(i.args[0]!))
        .map((at) => ({ at, message: `WORKDIR ${at.args[0]} is relative; use an absolute path` })),
      ...shellRuns(all(ctx))
        .filter((at) => simpleCommands(at.args[0] ?? '').some((c) => commandWords(c)[0] === 'cd'))
        .map((at) => ({ at, message: 'RUN cd … changes directory for this RUN only; use WORKDIR' })),
    ],
  },
  {
    id: 'BP-ONBUILD-2',
    severity: 'warning',
    description: 'ONBUILD ADD/COPY fails the child build when its context lacks the files.',
    check: perInstruction((i) => {
      const trigger = i.subInstruction?.keyword;
      return i.keyword === 'ONBUILD' && (trigger === 'ADD' || trigger === 'COPY')
        ? `ONBUILD ${trigger} breaks every child build whose context lacks the files`
        : undefined;
    }),
  },
  {
    id: 'DF-ONBUILD-TRIGGER',
    severity: 'error',
    description: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.',
    check: perInstruction((i) => {
      if (i.keyword !== 'ONBUILD') return undefined;
      const trigger = i.subInstruction?.keyword;
      if (trigger === undefined) return 'ONBUILD requires at least one argument';
      if (trigger === 'ONBUILD') return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
      if (trigger === 'FROM' || trigger === 'MAINTAINER') return `${trigger} isn't allowed as an ONBUILD trigger`;
      return undefined;
    }),
  },
];
