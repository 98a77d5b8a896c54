/* What runs in the child between fork/clone and execve: credentials, capabilities, seccomp, rlimits
 * and the PATH search. Async-signal-safe only: no allocation, no stdio. */
#pragma once
#include "config.h"

/* Sent on the sync socket when a step fails; the TS side names the step and errno. */
struct bc_error {
  int err;
  int exit_code;
  char step[120];
};

/* Writes a bc_error for `step` and errno to fd, then _exit(exit_code). */
__attribute__((noreturn)) void bc_fail(int fd, const char *step, int err, int exit_code);

/* Applies rlimits, oom_score_adj, no_new_privs, seccomp, the user and the capabilities, then cwd. */
void bc_finalize(const struct bc_config *cfg, int errfd);

/* execve of cfg->args with cfg->env, searching the container's PATH; on failure reports through
 * errfd and exits 127 (not found) or 126 (not executable), as Docker does. */
__attribute__((noreturn)) void bc_exec(const struct bc_config *cfg, int errfd);

/* Writes a whole buffer to a path; returns 0 or -1 with errno. */
int bc_write_file(const char *path, const char *data, size_t len);
