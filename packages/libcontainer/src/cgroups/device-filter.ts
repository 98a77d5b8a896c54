// The cgroup v2 device filter: v1's devices.allow/deny rules compiled to a
// BPF_PROG_TYPE_CGROUP_DEVICE program (runc's devicefilter), which the kernel runs on each open
// and mknod of a device node. Its context is struct bpf_cgroup_dev_ctx { u32 access_type
// (access << 16 | type); u32 major; u32 minor; }; it returns 1 to allow, 0 to deny (EPERM).
import type { DeviceRule } from '../spec.js';

const DEV_BLOCK = 1;
const DEV_CHAR = 2;
const ACC = { m: 1, r: 2, w: 4 } as const;

// eBPF opcodes used (linux/bpf_common.h, linux/bpf.h)
const LDX_W = 0x61; // dst = *(u32 *)(src + off)
const AND32_K = 0x54; // dst &= imm (32-bit)
const RSH32_K = 0x74; // dst >>= imm (32-bit)
const MOV32_X = 0xbc; // dst = src (32-bit)
const MOV64_K = 0xb7; // dst = imm
const JNE_K = 0x55; // if dst != imm goto +off
const JNE_X = 0x5d; // if dst != src goto +off
const EXIT = 0x95;

interface Insn {
  op: number;
  dst: number;
  src?: number;
  off?: number;
  imm?: number;
}

function encode(insns: Insn[]): Buffer {
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((i, n) => {
    buf.writeUInt8(i.op, n * 8);
    buf.writeUInt8(((i.src ?? 0) << 4) | i.dst, n * 8 + 1);
    buf.writeInt16LE(i.off ?? 0, n * 8 + 2);
    buf.writeInt32LE(i.imm ?? 0, n * 8 + 4);
  });
  return buf;
}

function accessBits(access: string): number {
  let bits = 0;
  for (const c of access) bits |= ACC[c as keyof typeof ACC] ?? 0;
  return bits;
}

/** The checks of one rule, each jumping past the block when it does not match, then its verdict. */
function ruleBlock(rule: DeviceRule): Insn[] {
  const checks: Insn[][] = [];
  if (rule.type !== 'a') checks.push([{ op: JNE_K, dst: 2, imm: rule.type === 'b' ? DEV_BLOCK : DEV_CHAR }]);
  const bits = accessBits(rule.access);
  // all of what is asked must be in the rule: (asked & bits) == asked
  if (bits !== 7) checks.push([{ op: MOV32_X, dst: 1, src: 3 }, { op: AND32_K, dst: 1, imm: bits }, { op: JNE_X, dst: 1, src: 3 }]);
  if (rule.major !== '*') checks.push([{ op: JNE_K, dst: 4, imm: rule.major }]);
  if (rule.minor !== '*') checks.push([{ op: JNE_K, dst: 5, imm: rule.minor }]);
  const verdict: Insn[] = [{ op: MOV64_K, dst: 0, imm: rule.allow ? 1 : 0 }, { op: EXIT, dst: 0 }];
  const flat = [...checks.flat(), ...verdict];
  // each jump lands just past the verdict
  return flat.map((insn, i) => (insn.op === JNE_K || insn.op === JNE_X ? { ...insn, off: flat.length - i - 1 } : insn));
}

/**
 * The program for `rules` applied in order as v1 would: an `a` rule resets to allow-all or
 * deny-all, later rules are exceptions, the last matching one wins. undefined when everything is
 * allowed (privileged): no program is needed.
 */
export function deviceFilterProgram(rules: readonly DeviceRule[]): Buffer | undefined {
  let defaultAllow = true;
  let exceptions: DeviceRule[] = [];
  for (const rule of rules) {
    if (rule.type === 'a' && rule.major === '*' && rule.minor === '*' && accessBits(rule.access) === 7) {
      defaultAllow = rule.allow;
      exceptions = [];
    } else {
      exceptions.push(rule);
    }
  }
  if (defaultAllow && exceptions.every((r) => r.allow)) return undefined;
  const prologue: Insn[] = [
    { op: LDX_W, dst: 2, src: 1, off: 0 },
    { op: AND32_K, dst: 2, imm: 0xffff }, // r2: the device type
    { op: LDX_W, dst: 3, src: 1, off: 0 },
    { op: RSH32_K, dst: 3, imm: 16 }, // r3: the access asked
    { op: LDX_W, dst: 4, src: 1, off: 4 }, // r4: major
    { op: LDX_W, dst: 5, src: 1, off: 8 }, // r5: minor
  ];
  // last match wins: the latest exception is checked first
  const blocks = exceptions.reverse().flatMap(ruleBlock);
  return encode([...prologue, ...blocks, { op: MOV64_K, dst: 0, imm: defaultAllow ? 1 : 0 }, { op: EXIT, dst: 0 }]);
}
