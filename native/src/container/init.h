/* The container's first process, from clone to execve, in runc's order. */
#pragma once
#include "config.h"

struct bc_stdio {
  int in, out, err;        /* pipes (or -1 when tty) */
  int console;             /* pty slave when tty, else -1 */
  const char *console_path; /* bound onto /dev/console */
};

/* Runs in the cloned child: waits for the parent to place it in its cgroups, then sets up the
 * namespaces, rootfs and process, reports readiness on sync, waits for the start byte and execs. */
__attribute__((noreturn)) void bc_container_init(const struct bc_config *cfg, int sync, const struct bc_stdio *stdio);

/* Joins cfg->joins of the given types (a mask of CLONE_NEW*); reports a failure through errfd. */
void bc_join_namespaces(const struct bc_config *cfg, int types, int errfd);
