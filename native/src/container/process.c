#define _GNU_SOURCE
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void bc_fail(int fd, const char *step, int err, int exit_code) {
  struct bc_error e;
  memset(&e, 0, sizeof e);
  e.err = err;
  e.exit_code = exit_code;
  strncpy(e.step, step, sizeof e.step - 1);
  if (fd >= 0) (void)!write(fd, &e, sizeof e);
  _exit(exit_code);
}

int bc_write_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, data, len);
  int saved = errno;
  close(fd);
  if (n < 0) { errno = saved; return -1; }
  return 0;
}

static void set_caps(const struct bc_config *cfg, int errfd) {
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  for (int i = 0; i < 2; i++) {
    data[i].effective = (uint32_t)(cfg->cap_effective >> (32 * i));
    data[i].permitted = (uint32_t)(cfg->cap_permitted >> (32 * i));
    data[i].inheritable = (uint32_t)(cfg->cap_inheritable >> (32 * i));
  }
  if (syscall(SYS_capset, &hdr, data) != 0) bc_fail(errfd, "capset", errno, 1);
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) bc_fail(errfd, "clear ambient capabilities", errno, 1);
  for (int c = 0; c < 64; c++) {
    if (!(cfg->cap_ambient & (1ULL << c))) continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) != 0) bc_fail(errfd, "raise ambient capability", errno, 1);
  }
}

static void load_seccomp(const struct bc_config *cfg, int errfd) {
  if (!cfg->seccomp_filter) return;
  struct sock_fprog prog = {cfg->seccomp_len, (struct sock_filter *)cfg->seccomp_filter};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) bc_fail(errfd, "load seccomp filter", errno, 1);
}

void bc_finalize(const struct bc_config *cfg, int errfd) {
  for (size_t i = 0; i < cfg->nrlimits; i++) {
    struct rlimit rl = {cfg->rlimits[i].soft, cfg->rlimits[i].hard};
    if (setrlimit(cfg->rlimits[i].resource, &rl) != 0) bc_fail(errfd, "setrlimit", errno, 1);
  }
  /* In a new user namespace the monitor set it from the host's side (see monitor/main.c). */
  if (cfg->has_oom_score_adj && !bc_config_userns(cfg)) {
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%d", cfg->oom_score_adj);
    if (bc_write_file("/proc/self/oom_score_adj", buf, (size_t)n) != 0) bc_fail(errfd, "write oom_score_adj", errno, 1);
  }
  if (cfg->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) bc_fail(errfd, "set no_new_privs", errno, 1);
  /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it before dropping capabilities. */
  if (!cfg->no_new_privs) load_seccomp(cfg, errfd);
  if (cfg->has_caps) {
    for (int c = 0; c < 64; c++) {
      if (cfg->cap_bounding & (1ULL << c)) continue;
      if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) bc_fail(errfd, "drop bounding capability", errno, 1);
    }
  }
  if (cfg->has_user) {
    /* Keep the permitted set across setuid; set_caps then trims it to what was asked. */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) bc_fail(errfd, "set keepcaps", errno, 1);
    if (setgroups(cfg->ngroups, cfg->groups) != 0) bc_fail(errfd, "setgroups", errno, 1);
    if (setresgid(cfg->gid, cfg->gid, cfg->gid) != 0) bc_fail(errfd, "setgid", errno, 1);
    if (setresuid(cfg->uid, cfg->uid, cfg->uid) != 0) bc_fail(errfd, "setuid", errno, 1);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) bc_fail(errfd, "clear keepcaps", errno, 1);
  }
  if (cfg->has_caps) set_caps(cfg, errfd);
  if (cfg->no_new_privs) load_seccomp(cfg, errfd);
  if (cfg->cwd && chdir(cfg->cwd) != 0) bc_fail(errfd, "chdir to cwd", errno, 1);
}

static const char *env_path(const struct bc_config *cfg) {
  for (size_t i = 0; i < cfg->nenv; i++)
    if (strncmp(cfg->env[i], "PATH=", 5) == 0) return cfg->env[i] + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

void bc_exec(const struct bc_config *cfg, int errfd) {
  const char *file = cfg->args[0];
  char *const *argv = (char *const *)cfg->args;
  char *const *envp = (char *const *)cfg->env;
  if (strchr(file, '/')) {
    execve(file, argv, envp);
    int err = errno;
    bc_fail(errfd, "exec", err, err == ENOENT ? 127 : 126);
  }
  const char *path = env_path(cfg);
  int seen_eacces = 0;
  char full[4096];
  while (*path) {
    const char *colon = strchrnul(path, ':');
    size_t dlen = (size_t)(colon - path), flen = strlen(file);
    if (dlen + flen + 2 <= sizeof full) {
      memcpy(full, path, dlen);
      size_t off = dlen;
      if (dlen == 0) full[off++] = '.';
      full[off++] = '/';
      memcpy(full + off, file, flen + 1);
      execve(full, argv, envp);
      if (errno == EACCES) seen_eacces = 1;
    }
    path = *colon ? colon + 1 : colon;
  }
  if (seen_eacces) bc_fail(errfd, "exec", EACCES, 126);
  bc_fail(errfd, "exec", ENOENT, 127);
}
