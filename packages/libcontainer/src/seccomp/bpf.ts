/** A tiny classic-BPF assembler: forward jumps to labels, resolved to 8-bit offsets. */

// instruction classes and modes (linux/filter.h)
export const BPF = {
  LD_W_ABS: 0x20, // BPF_LD | BPF_W | BPF_ABS
  ALU_AND_K: 0x54, // BPF_ALU | BPF_AND | BPF_K
  JMP_JA: 0x05,
  JMP_JEQ_K: 0x15,
  JMP_JGT_K: 0x25,
  JMP_JGE_K: 0x35,
  RET_K: 0x06,
} as const;

type Target = number | string; // a relative offset, or a label

interface Insn {
  code: number;
  jt: Target;
  jf: Target;
  k: number;
}

export class BpfProgram {
  private readonly insns: Insn[] = [];
  private readonly labels = new Map<string, number>();
  private counter = 0;

  newLabel(prefix: string): string {
    return `${prefix}#${this.counter++}`;
  }

  label(name: string): void {
    this.labels.set(name, this.insns.length);
  }

  stmt(code: number, k: number): void {
    this.insns.push({ code, jt: 0, jf: 0, k: k >>> 0 });
  }

  jump(code: number, k: number, jt: Target, jf: Target): void {
    this.insns.push({ code, jt, jf, k: k >>> 0 });
  }

  get length(): number {
    return this.insns.length;
  }

  /** struct sock_filter[] in host (little-endian) byte order. */
  toBuffer(): Buffer {
    if (this.insns.length > 4096) throw new Error(`seccomp filter too long (${this.insns.length} instructions)`);
    const buf = Buffer.alloc(this.insns.length * 8);
    this.insns.forEach((insn, i) => {
      const resolve = (t: Target): number => {
        if (typeof t === 'number') return t;
        const at = this.labels.get(t);
        if (at === undefined) throw new Error(`BPF label ${t} undefined`);
        const off = at - i - 1;
        if (off < 0 || off > 255) throw new Error(`BPF jump to ${t} out of range (${off})`);
        return off;
      };
      buf.writeUInt16LE(insn.code, i * 8);
      buf.writeUInt8(resolve(insn.jt), i * 8 + 2);
      buf.writeUInt8(resolve(insn.jf), i * 8 + 3);
      buf.writeUInt32LE(insn.k, i * 8 + 4);
    });
    return buf;
  }
}
