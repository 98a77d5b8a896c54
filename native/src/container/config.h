/* The container config the TS side writes (see packages/libcontainer/src/config.ts): a sequence of
 * records, each a key followed by a fixed number of fields, every string NUL-terminated. Parsing
 * happens before clone; the parsed struct points into one buffer, so the child never allocates. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define BC_MAX_ITEMS 512

enum bc_op_kind { BC_OP_MOUNT, BC_OP_MKDIR, BC_OP_MKNOD, BC_OP_SYMLINK, BC_OP_PROPAGATION };

struct bc_op {
  enum bc_op_kind kind;
  const char *a, *b, *c, *d; /* mount: source, target, fstype, data; mkdir/mknod: path; symlink: target, path */
  unsigned long flags;       /* mount flags; mkdir/mknod: mode */
  unsigned major, minor, uid, gid;
};

struct bc_nsjoin {
  int type; /* CLONE_NEW* */
  const char *path;
};

struct bc_rlimit {
  int resource;
  uint64_t soft, hard;
};

struct bc_config {
  char *buf; /* owns every string below */
  const char *rootfs, *cwd, *hostname, *domainname, *uid_map, *gid_map, *seccomp_path, *log_path, *oom_file;
  unsigned long clone_flags, rootfs_propagation;
  int rootfs_readonly, tty, open_stdin, no_new_privs, has_user, has_oom_score_adj, oom_score_adj, has_caps, target_pid;
  uint32_t uid, gid;
  uint64_t log_max_size;
  int log_max_file;
  uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable, cap_ambient;
  const char *args[BC_MAX_ITEMS + 1], *env[BC_MAX_ITEMS + 1];
  size_t nargs, nenv;
  uint32_t groups[64];
  size_t ngroups;
  struct bc_op ops[BC_MAX_ITEMS];
  size_t nops;
  struct bc_nsjoin joins[8];
  size_t njoins;
  const char *cgroup_procs[16];
  size_t ncgroup_procs;
  const char *sysctl_keys[64], *sysctl_values[64];
  size_t nsysctls;
  const char *masked[64], *readonly[64];
  size_t nmasked, nreadonly;
  struct bc_rlimit rlimits[16];
  size_t nrlimits;
  /* the seccomp filter, read from seccomp_path before clone */
  void *seccomp_filter;
  unsigned short seccomp_len;
};

/* Reads and parses a config file; on failure writes a message into err and returns -1. */
int bc_config_load(const char *path, struct bc_config *cfg, char *err, size_t errlen);
/* Whether the container runs in a user namespace other than the monitor's: a new one, or one it joins. */
int bc_config_userns(const struct bc_config *cfg);
/* Whether the config joins a namespace of `type` (CLONE_NEW*). */
int bc_config_joins(const struct bc_config *cfg, int type);
