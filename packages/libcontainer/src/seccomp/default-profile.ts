import type { SeccompProfile, SeccompRule } from './profile.js';

/*
 * Docker's default seccomp profile (moby profiles/seccomp), trimmed to the rules that apply on
 * x86_64: everything not listed fails with EPERM; namespace, mount, module, clock, ptrace and
 * kernel-keyring calls are allowed only with the capability that guards them.
 */

// The unconditional allow-list (x86_64 names only).
const ALLOWED = `
accept accept4 access adjtimex alarm bind brk capget capset chdir chmod chown clock_adjtime clock_getres
clock_gettime clock_nanosleep close close_range connect copy_file_range creat dup dup2 dup3 epoll_create
epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve
execveat exit exit_group faccessat faccessat2 fadvise64 fallocate fanotify_mark fchdir fchmod fchmodat fchown
fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstatfs fsync ftruncate
futex futex_waitv futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups getitimer
getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit get_robust_list
getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getxattr inotify_add_watch
inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents ioprio_get
ioprio_set io_setup io_submit io_uring_enter io_uring_register io_uring_setup kill landlock_add_rule
landlock_create_ruleset landlock_restrict_self lchown lgetxattr link linkat listen listxattr llistxattr
lremovexattr lseek lsetxattr lstat madvise membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod
mknodat mlock mlock2 mlockall mmap mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedsend
mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep
newfstatat open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect
poll ppoll prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pwrite64 pwritev pwritev2 read
readahead readlink readlinkat readv recvfrom recvmmsg recvmsg remap_file_pages removexattr rename renameat
renameat2 restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam
sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval sched_setaffinity
sched_setattr sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop
sendfile sendmmsg sendmsg sendto setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid
setresgid setresuid setreuid setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid
setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 socketpair splice stat statfs statx
symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun
timer_gettime timer_settime timerfd_create timerfd_gettime timerfd_settime times tkill truncate umask uname
unlink unlinkat utime utimensat utimes vfork vmsplice wait4 waitid write writev arch_prctl modify_ldt
`;

const names = (s: string): string[] => s.trim().split(/\s+/);
const allowWithCap = (cap: string, calls: string): SeccompRule => ({ names: names(calls), action: 'SCMP_ACT_ALLOW', includes: { caps: [cap] } });
// personality(2) values Docker lets through: PER_LINUX, UNAME26, PER_LINUX32, PER_LINUX32|UNAME26, query
const PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];
// clone(2) flags that create namespaces (CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET)
const CLONE_NAMESPACE_FLAGS = 0x7e020000;
const AF_VSOCK = 40;

export const DEFAULT_SECCOMP_PROFILE: SeccompProfile = {
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: 1,
  architectures: ['SCMP_ARCH_X86_64'],
  syscalls: [
    { names: names(ALLOWED), action: 'SCMP_ACT_ALLOW' },
    { names: ['process_vm_readv', 'process_vm_writev', 'ptrace'], action: 'SCMP_ACT_ALLOW', includes: { minKernel: '4.8' } },
    { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: AF_VSOCK, op: 'SCMP_CMP_NE' }] },
    ...PERSONALITIES.map((value): SeccompRule => ({ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value, op: 'SCMP_CMP_EQ' }] })),
    allowWithCap('CAP_DAC_READ_SEARCH', 'open_by_handle_at'),
    allowWithCap(
      'CAP_SYS_ADMIN',
      'bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount mount_setattr move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog umount2 unshare',
    ),
    {
      names: ['clone'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
      excludes: { caps: ['CAP_SYS_ADMIN'] },
    },
    // glibc falls back to clone when clone3 says ENOSYS; clone's flags can be checked, clone3's cannot
    { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38, excludes: { caps: ['CAP_SYS_ADMIN'] } },
    allowWithCap('CAP_SYS_BOOT', 'reboot'),
    allowWithCap('CAP_SYS_CHROOT', 'chroot'),
    allowWithCap('CAP_SYS_MODULE', 'delete_module init_module finit_module'),
    allowWithCap('CAP_SYS_PACCT', 'acct'),
    allowWithCap('CAP_SYS_PTRACE', 'kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace'),
    allowWithCap('CAP_SYS_RAWIO', 'iopl ioperm'),
    allowWithCap('CAP_SYS_TIME', 'settimeofday clock_settime'),
    allowWithCap('CAP_SYS_TTY_CONFIG', 'vhangup'),
    allowWithCap('CAP_SYS_NICE', 'get_mempolicy mbind set_mempolicy set_mempolicy_home_node'),
    allowWithCap('CAP_SYSLOG', 'syslog'),
    allowWithCap('CAP_BPF', 'bpf'),
    allowWithCap('CAP_PERFMON', 'perf_event_open'),
  ],
};
