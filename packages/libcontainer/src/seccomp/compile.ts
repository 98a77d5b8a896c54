import { release } from 'node:os';
import { capabilityNumber } from '../capabilities.js';
import { BPF, BpfProgram } from './bpf.js';
import type { SeccompAction, SeccompArg, SeccompProfile, SeccompRule } from './profile.js';
import { SYSCALLS_X86_64 } from './syscalls-x86_64.js';

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
// offsets in struct seccomp_data
const OFF_NR = 0;
const OFF_ARCH = 4;
const OFF_ARGS = 16;

const RET: Record<SeccompAction, number> = {
  SCMP_ACT_KILL: 0x00000000,
  SCMP_ACT_KILL_THREAD: 0x00000000,
  SCMP_ACT_KILL_PROCESS: 0x80000000,
  SCMP_ACT_TRAP: 0x00030000,
  SCMP_ACT_ERRNO: 0x00050000,
  SCMP_ACT_TRACE: 0x7ff00000,
  SCMP_ACT_LOG: 0x7ffc0000,
  SCMP_ACT_ALLOW: 0x7fff0000,
};

function actionValue(action: SeccompAction, errno: number | undefined): number {
  const base = RET[action];
  if (base === undefined) throw new Error(`unknown seccomp action ${action}`);
  if (action === 'SCMP_ACT_ERRNO' || action === 'SCMP_ACT_TRACE') return (base | ((errno ?? 1) & 0xffff)) >>> 0;
  return base;
}

function kernelAtLeast(min: string, current = release()): boolean {
  const parse = (v: string) => v.split(/[.-]/).slice(0, 2).map((n) => Number.parseInt(n, 10) || 0);
  const [a = 0, b = 0] = parse(current);
  const [x = 0, y = 0] = parse(min);
  return a > x || (a === x && b >= y);
}

const ARCH_NAMES = new Set(['amd64', 'x86_64', 'SCMP_ARCH_X86_64']);

/** Whether a rule applies to an x86_64 container with these capabilities (Docker's includes/excludes). */
function applies(rule: SeccompRule, caps: Set<number>): boolean {
  const hasCap = (c: string) => caps.has(capabilityNumber(c));
  const inc = rule.includes ?? {};
  if (inc.arches?.length && !inc.arches.some((a) => ARCH_NAMES.has(a))) return false;
  if (inc.caps?.length && !inc.caps.every(hasCap)) return false;
  if (inc.minKernel && !kernelAtLeast(inc.minKernel)) return false;
  const exc = rule.excludes ?? {};
  if (exc.arches?.some((a) => ARCH_NAMES.has(a))) return false;
  if (exc.caps?.some(hasCap)) return false;
  return true;
}

const split = (v: number) => ({ hi: Math.floor(v / 0x100000000) >>> 0, lo: v >>> 0 });

/** Emits the checks of one 64-bit argument comparison: falls through when it holds, jumps to `fail` when not. */
function emitArg(p: BpfProgram, arg: SeccompArg, fail: string): void {
  const at = OFF_ARGS + 8 * arg.index;
  const v = split(arg.value);
  const ok = p.newLabel('ok');
  switch (arg.op) {
    case 'SCMP_CMP_EQ':
    case 'SCMP_CMP_NE': {
      const eq = arg.op === 'SCMP_CMP_EQ';
      const mismatch = eq ? fail : ok;
      p.stmt(BPF.LD_W_ABS, at + 4);
      p.jump(BPF.JMP_JEQ_K, v.hi, 0, mismatch);
      p.stmt(BPF.LD_W_ABS, at);
      p.jump(BPF.JMP_JEQ_K, v.lo, eq ? ok : fail, eq ? fail : ok);
      break;
    }
    case 'SCMP_CMP_MASKED_EQ': {
      const want = split(arg.valueTwo ?? 0);
      p.stmt(BPF.LD_W_ABS, at + 4);
      p.stmt(BPF.ALU_AND_K, v.hi);
      p.jump(BPF.JMP_JEQ_K, want.hi, 0, fail);
      p.stmt(BPF.LD_W_ABS, at);
      p.stmt(BPF.ALU_AND_K, v.lo);
      p.jump(BPF.JMP_JEQ_K, want.lo, ok, fail);
      break;
    }
    default: {
      // unsigned 64-bit order: decide on the high word, then on the low word
      const greater = arg.op === 'SCMP_CMP_GT' || arg.op === 'SCMP_CMP_GE';
      const orEqual = arg.op === 'SCMP_CMP_GE' || arg.op === 'SCMP_CMP_LE';
      const lowWord = p.newLabel('lo');
      p.stmt(BPF.LD_W_ABS, at + 4);
      p.jump(BPF.JMP_JGT_K, v.hi, greater ? ok : fail, 0);
      p.jump(BPF.JMP_JEQ_K, v.hi, lowWord, greater ? fail : ok);
      p.label(lowWord);
      p.stmt(BPF.LD_W_ABS, at);
      if (greater) p.jump(orEqual ? BPF.JMP_JGE_K : BPF.JMP_JGT_K, v.lo, ok, fail);
      else p.jump(orEqual ? BPF.JMP_JGT_K : BPF.JMP_JGE_K, v.lo, fail, ok);
    }
  }
  p.label(ok);
}

/**
 * Compiles a Docker-format profile to a classic BPF seccomp filter for x86_64. `capabilities` is the
 * container's bounding set (rules with includes/excludes.caps depend on it). Other architectures'
 * syscalls are killed: berth runs x86_64 containers only.
 */
export function compileProfile(profile: SeccompProfile, capabilities: readonly string[]): Buffer {
  const caps = new Set(capabilities.map(capabilityNumber));
  const byNr = new Map<number, SeccompRule[]>();
  for (const rule of profile.syscalls ?? []) {
    if (!applies(rule, caps)) continue;
    for (const name of rule.names ?? (rule.name ? [rule.name] : [])) {
      const nr = SYSCALLS_X86_64[name];
      if (nr === undefined) continue; // another architecture's syscall
      const list = byNr.get(nr) ?? [];
      list.push(rule);
      byNr.set(nr, list);
    }
  }
  const def = actionValue(profile.defaultAction, profile.defaultErrnoRet);
  const p = new BpfProgram();
  p.stmt(BPF.LD_W_ABS, OFF_ARCH);
  p.jump(BPF.JMP_JEQ_K, AUDIT_ARCH_X86_64, 1, 0);
  p.stmt(BPF.RET_K, RET.SCMP_ACT_KILL_PROCESS);
  p.stmt(BPF.LD_W_ABS, OFF_NR);
  p.jump(BPF.JMP_JGE_K, X32_SYSCALL_BIT, 0, 1);
  p.stmt(BPF.RET_K, def);
  for (const [nr, rules] of [...byNr].sort((a, b) => a[0] - b[0])) {
    const next = p.newLabel('next');
    p.jump(BPF.JMP_JEQ_K, nr, 0, next);
    for (const rule of rules) {
      const ret = actionValue(rule.action, rule.errnoRet);
      if (!rule.args?.length) {
        p.stmt(BPF.RET_K, ret);
        break; // later rules cannot match
      }
      const fail = p.newLabel('fail');
      for (const arg of rule.args) emitArg(p, arg, fail);
      p.stmt(BPF.RET_K, ret);
      p.label(fail);
    }
    p.stmt(BPF.RET_K, def);
    p.label(next);
  }
  p.stmt(BPF.RET_K, def);
  return p.toBuffer();
}
