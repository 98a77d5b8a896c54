#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0) { close(fd); return NULL; }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (buf && got < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
    if (n <= 0) { free(buf); buf = NULL; break; }
    got += (size_t)n;
  }
  close(fd);
  if (buf) { buf[got] = 0; *len = got; }
  return buf;
}

static int ns_type(const char *name) {
  static const struct { const char *n; int t; } types[] = {
      {"mnt", CLONE_NEWNS}, {"uts", CLONE_NEWUTS}, {"ipc", CLONE_NEWIPC}, {"pid", CLONE_NEWPID},
      {"net", CLONE_NEWNET}, {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].n, name) == 0) return types[i].t;
  return 0;
}

int bc_config_load(const char *path, struct bc_config *cfg, char *err, size_t errlen) {
  memset(cfg, 0, sizeof *cfg);
  cfg->rootfs_propagation = 0;
  size_t len = 0;
  cfg->buf = read_file(path, &len);
  if (!cfg->buf) { snprintf(err, errlen, "read config %s: %s", path, strerror(errno)); return -1; }
  char *p = cfg->buf, *end = cfg->buf + len;
#define NEXT() (p < end ? (f = p, p += strlen(p) + 1, f) : NULL)
#define NEED(n)                                                                        \
  for (size_t k_ = 0; k_ < (n); k_++) {                                                \
    if (!(v[k_] = NEXT())) { snprintf(err, errlen, "config: truncated %s", key); return -1; } \
  }
#define FULL(cond, what) \
  if (!(cond)) { snprintf(err, errlen, "config: too many %s", what); return -1; }
  char *f, *key;
  const char *v[6];
  while ((key = NEXT())) {
    if (!strcmp(key, "rootfs")) { NEED(1); cfg->rootfs = v[0]; }
    else if (!strcmp(key, "cwd")) { NEED(1); cfg->cwd = v[0]; }
    else if (!strcmp(key, "hostname")) { NEED(1); cfg->hostname = v[0]; }
    else if (!strcmp(key, "domainname")) { NEED(1); cfg->domainname = v[0]; }
    else if (!strcmp(key, "uid_map")) { NEED(1); cfg->uid_map = v[0]; }
    else if (!strcmp(key, "gid_map")) { NEED(1); cfg->gid_map = v[0]; }
    else if (!strcmp(key, "seccomp")) { NEED(1); cfg->seccomp_path = v[0]; }
    else if (!strcmp(key, "log")) { NEED(3); cfg->log_path = v[0]; cfg->log_max_size = strtoull(v[1], NULL, 10); cfg->log_max_file = atoi(v[2]); }
    else if (!strcmp(key, "oom_file")) { NEED(1); cfg->oom_file = v[0]; }
    else if (!strcmp(key, "pid")) { NEED(1); cfg->target_pid = atoi(v[0]); }
    else if (!strcmp(key, "clone")) { NEED(1); cfg->clone_flags |= (unsigned long)ns_type(v[0]); }
    else if (!strcmp(key, "join")) {
      NEED(2);
      FULL(cfg->njoins < 8, "joins");
      cfg->joins[cfg->njoins].type = ns_type(v[0]);
      cfg->joins[cfg->njoins++].path = v[1];
    }
    else if (!strcmp(key, "rootfs_propagation")) { NEED(1); cfg->rootfs_propagation = strtoul(v[0], NULL, 10); }
    else if (!strcmp(key, "rootfs_readonly")) { cfg->rootfs_readonly = 1; }
    else if (!strcmp(key, "tty")) { cfg->tty = 1; }
    else if (!strcmp(key, "stdin")) { cfg->open_stdin = 1; }
    else if (!strcmp(key, "no_new_privs")) { cfg->no_new_privs = 1; }
    else if (!strcmp(key, "oom_score_adj")) { NEED(1); cfg->has_oom_score_adj = 1; cfg->oom_score_adj = atoi(v[0]); }
    else if (!strcmp(key, "user")) {
      NEED(3);
      cfg->has_user = 1;
      cfg->uid = (uint32_t)strtoul(v[0], NULL, 10);
      cfg->gid = (uint32_t)strtoul(v[1], NULL, 10);
      for (char *g = (char *)v[2]; *g;) {
        FULL(cfg->ngroups < 64, "groups");
        cfg->groups[cfg->ngroups++] = (uint32_t)strtoul(g, &g, 10);
        if (*g == ',') g++;
      }
    }
    else if (!strcmp(key, "caps")) {
      NEED(5);
      cfg->has_caps = 1;
      cfg->cap_bounding = strtoull(v[0], NULL, 16);
      cfg->cap_effective = strtoull(v[1], NULL, 16);
      cfg->cap_permitted = strtoull(v[2], NULL, 16);
      cfg->cap_inheritable = strtoull(v[3], NULL, 16);
      cfg->cap_ambient = strtoull(v[4], NULL, 16);
    }
    else if (!strcmp(key, "arg")) { NEED(1); FULL(cfg->nargs < BC_MAX_ITEMS, "args"); cfg->args[cfg->nargs++] = v[0]; }
    else if (!strcmp(key, "env")) { NEED(1); FULL(cfg->nenv < BC_MAX_ITEMS, "env"); cfg->env[cfg->nenv++] = v[0]; }
    else if (!strcmp(key, "cgroup_procs")) { NEED(1); FULL(cfg->ncgroup_procs < 16, "cgroups"); cfg->cgroup_procs[cfg->ncgroup_procs++] = v[0]; }
    else if (!strcmp(key, "sysctl")) {
      NEED(2);
      FULL(cfg->nsysctls < 64, "sysctls");
      cfg->sysctl_keys[cfg->nsysctls] = v[0];
      cfg->sysctl_values[cfg->nsysctls++] = v[1];
    }
    else if (!strcmp(key, "masked")) { NEED(1); FULL(cfg->nmasked < 64, "masked paths"); cfg->masked[cfg->nmasked++] = v[0]; }
    else if (!strcmp(key, "readonly")) { NEED(1); FULL(cfg->nreadonly < 64, "readonly paths"); cfg->readonly[cfg->nreadonly++] = v[0]; }
    else if (!strcmp(key, "rlimit")) {
      NEED(3);
      FULL(cfg->nrlimits < 16, "rlimits");
      struct bc_rlimit *r = &cfg->rlimits[cfg->nrlimits++];
      r->resource = atoi(v[0]);
      r->soft = strtoull(v[1], NULL, 10);
      r->hard = strtoull(v[2], NULL, 10);
    }
    else if (!strcmp(key, "mount") || !strcmp(key, "mkdir") || !strcmp(key, "mknod") || !strcmp(key, "symlink") ||
             !strcmp(key, "propagation")) {
      FULL(cfg->nops < BC_MAX_ITEMS, "rootfs operations");
      struct bc_op *op = &cfg->ops[cfg->nops++];
      memset(op, 0, sizeof *op);
      if (key[1] == 'o') { /* mount source target fstype flags data */
        NEED(5);
        op->kind = BC_OP_MOUNT;
        op->a = v[0]; op->b = v[1]; op->c = v[2]; op->flags = strtoul(v[3], NULL, 10); op->d = v[4];
      } else if (!strcmp(key, "mkdir")) { /* path mode */
        NEED(2);
        op->kind = BC_OP_MKDIR; op->a = v[0]; op->flags = strtoul(v[1], NULL, 8);
      } else if (!strcmp(key, "mknod")) { /* path mode major minor uid gid */
        NEED(6);
        op->kind = BC_OP_MKNOD; op->a = v[0]; op->flags = strtoul(v[1], NULL, 8);
        op->major = (unsigned)atoi(v[2]); op->minor = (unsigned)atoi(v[3]);
        op->uid = (unsigned)atoi(v[4]); op->gid = (unsigned)atoi(v[5]);
      } else if (!strcmp(key, "symlink")) { /* target path */
        NEED(2);
        op->kind = BC_OP_SYMLINK; op->a = v[0]; op->b = v[1];
      } else { /* propagation target flags */
        NEED(2);
        op->kind = BC_OP_PROPAGATION; op->b = v[0]; op->flags = strtoul(v[1], NULL, 10);
      }
    }
    else { snprintf(err, errlen, "config: unknown key '%s'", key); return -1; }
  }
  cfg->args[cfg->nargs] = NULL;
  cfg->env[cfg->nenv] = NULL;
  if (cfg->nargs == 0) { snprintf(err, errlen, "config: no command"); return -1; }
  if (cfg->seccomp_path) {
    size_t flen = 0;
    cfg->seccomp_filter = read_file(cfg->seccomp_path, &flen);
    if (!cfg->seccomp_filter || flen % 8 != 0 || flen / 8 > 0xffff) {
      snprintf(err, errlen, "read seccomp filter %s: %s", cfg->seccomp_path, cfg->seccomp_filter ? "bad size" : strerror(errno));
      return -1;
    }
    cfg->seccomp_len = (unsigned short)(flen / 8);
  }
  return 0;
}

int bc_config_joins(const struct bc_config *cfg, int type) {
  for (size_t i = 0; i < cfg->njoins; i++)
    if (cfg->joins[i].type == type) return 1;
  return 0;
}

int bc_config_userns(const struct bc_config *cfg) {
  return (cfg->clone_flags & CLONE_NEWUSER) || bc_config_joins(cfg, CLONE_NEWUSER);
}
