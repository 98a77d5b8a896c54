import { describe, expect, it } from 'vitest';
import { BPF } from './bpf.js';
import { compileProfile } from './compile.js';
import { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
import { compileSeccomp } from './index.js';
import { SYSCALLS_X86_64 } from './syscalls-x86_64.js';
import { DOCKER_DEFAULT_CAPABILITIES } from '../capabilities.js';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const ENOSYS = 0x00050026;
const AUDIT_ARCH_X86_64 = 0xc000003e;

/** Runs a classic BPF seccomp filter over struct seccomp_data, as the kernel would. */
function run(filter: Buffer, nr: number, args: bigint[] = [], arch = AUDIT_ARCH_X86_64): number {
  const data = Buffer.alloc(64);
  data.writeUInt32LE(nr, 0);
  data.writeUInt32LE(arch, 4);
  args.forEach((a, i) => data.writeBigUInt64LE(a, 16 + 8 * i));
  let acc = 0;
  for (let pc = 0; pc < filter.length / 8; pc++) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case BPF.LD_W_ABS: acc = data.readUInt32LE(k); break;
      case BPF.ALU_AND_K: acc = (acc & k) >>> 0; break;
      case BPF.JMP_JEQ_K: pc += acc === k ? jt : jf; break;
      case BPF.JMP_JGT_K: pc += acc > k ? jt : jf; break;
      case BPF.JMP_JGE_K: pc += acc >= k ? jt : jf; break;
      case BPF.RET_K: return k;
      default: throw new Error(`unexpected BPF code ${code}`);
    }
  }
  throw new Error('filter fell off the end');
}

const nr = (name: string): number => {
  const n = SYSCALLS_X86_64[name];
  if (n === undefined) throw new Error(name);
  return n;
};

describe("Docker's default profile", () => {
  const filter = compileSeccomp(undefined, undefined);

  it('allows the allow-list and refuses the rest with EPERM', () => {
    for (const name of ['read', 'write', 'execve', 'clone', 'openat', 'exit_group']) expect(run(filter, nr(name))).toBe(ALLOW);
    for (const name of ['unshare', 'mount', 'keyctl', 'add_key', 'kexec_load', 'setns', 'reboot', 'bpf']) expect(run(filter, nr(name))).toBe(EPERM);
  });

  it('checks arguments: namespace flags of clone, AF_VSOCK sockets, personality values', () => {
    expect(run(filter, nr('clone'), [0x11n])).toBe(ALLOW);
    expect(run(filter, nr('clone'), [0x10000000n])).toBe(EPERM); // CLONE_NEWUSER
    expect(run(filter, nr('socket'), [2n])).toBe(ALLOW);
    expect(run(filter, nr('socket'), [40n])).toBe(EPERM);
    expect(run(filter, nr('socket'), [40n + (1n << 32n)])).toBe(ALLOW); // the full 64-bit value is compared
    expect(run(filter, nr('personality'), [8n])).toBe(ALLOW);
    expect(run(filter, nr('personality'), [0xffffffffn])).toBe(ALLOW);
    expect(run(filter, nr('personality'), [1n])).toBe(EPERM);
  });

  it('answers ENOSYS for clone3 so libc falls back to clone', () => {
    expect(run(filter, nr('clone3'))).toBe(ENOSYS);
  });

  it('opens capability-guarded calls when the container has the capability', () => {
    const admin = compileProfile(DEFAULT_SECCOMP_PROFILE, [...DOCKER_DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']);
    expect(run(admin, nr('mount'))).toBe(ALLOW);
    expect(run(admin, nr('clone'), [0x10000000n])).toBe(ALLOW);
    expect(run(admin, nr('clone3'))).toBe(ALLOW);
    expect(run(admin, nr('reboot'))).toBe(EPERM);
  });

  it('kills other architectures and refuses x32 syscall numbers', () => {
    expect(run(filter, nr('read'), [], 0x40000003)).toBe(0x80000000);
    expect(run(filter, 0x40000000 + nr('read'))).toBe(EPERM);
  });
});

describe('custom profiles', () => {
  it('compiles comparison operators on 64-bit arguments', () => {
    const f = compileProfile(
      {
        defaultAction: 'SCMP_ACT_ALLOW',
        syscalls: [
          { names: ['read'], action: 'SCMP_ACT_ERRNO', errnoRet: 5, args: [{ index: 2, value: 100, op: 'SCMP_CMP_GT' }] },
          { names: ['write'], action: 'SCMP_ACT_KILL_PROCESS', args: [{ index: 0, value: 3, op: 'SCMP_CMP_LE' }, { index: 1, value: 0xf0, valueTwo: 0x10, op: 'SCMP_CMP_MASKED_EQ' }] },
          { names: ['close'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 2 ** 33, op: 'SCMP_CMP_GE' }] },
        ],
      },
      [],
    );
    expect(run(f, nr('read'), [0n, 0n, 101n])).toBe(0x00050005);
    expect(run(f, nr('read'), [0n, 0n, 100n])).toBe(ALLOW);
    expect(run(f, nr('read'), [0n, 0n, 1n << 40n])).toBe(0x00050005);
    expect(run(f, nr('write'), [3n, 0x1fn])).toBe(0x80000000);
    expect(run(f, nr('write'), [4n, 0x1fn])).toBe(ALLOW);
    expect(run(f, nr('write'), [3n, 0x2fn])).toBe(ALLOW);
    expect(run(f, nr('close'), [2n ** 33n])).toBe(0x00050001);
    expect(run(f, nr('close'), [2n ** 33n - 1n])).toBe(ALLOW);
  });

  it('accepts the single-name rules of old Docker profiles and skips other architectures', () => {
    const f = compileProfile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ name: 'getpid', action: 'SCMP_ACT_ALLOW' }, { names: ['arm_fadvise64_64'], action: 'SCMP_ACT_ALLOW' }] }, []);
    expect(run(f, nr('getpid'))).toBe(ALLOW);
    expect(run(f, nr('getppid'))).toBe(EPERM);
  });
});
