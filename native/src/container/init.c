#define _GNU_SOURCE
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "process.h"
#include "rootpath.h"

#define PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

static int mkdir_p(const char *path, mode_t mode) {
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
  memcpy(buf, path, len + 1);
  for (char *s = buf + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    *s = '/';
  }
  if (mkdir(buf, mode) != 0 && errno != EEXIST) return -1;
  return 0;
}

static unsigned long locked_flags(const char *path) {
  struct statvfs sv;
  unsigned long f = 0;
  if (statvfs(path, &sv) != 0) return 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  return f;
}

/* Resolves dest inside the rootfs (see rootpath.h) and leaves "/proc/self/fd/N" in fdpath; the caller
 * closes the returned fd. A bind of a file needs a file to mount on; everything else a directory. */
static int open_target(int rootfd, const char *dest, enum bc_leaf leaf, char fdpath[32], int errfd) {
  int fd = bc_open_in_root(rootfd, dest, leaf, 0755);
  if (fd < 0) bc_fail(errfd, leaf == BC_LEAF_NONE ? "resolve mount point" : "create mount point", errno, 1);
  bc_fd_path(fdpath, fd);
  return fd;
}

/* As runc: proc and sysfs go on a plain directory only, never through a symlink the image put there. */
static void check_plain_dir(int rootfd, const struct bc_op *op, int errfd) {
  char buf[4096];
  const char *name;
  struct stat st;
  int dir = bc_open_parent_in_root(rootfd, op->b, buf, sizeof buf, &name);
  if (dir < 0) bc_fail(errfd, "create mount point", errno, 1);
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
    bc_fail(errfd, op->c[0] == 'p' ? "proc must be mounted on ordinary directory" : "sysfs must be mounted on ordinary directory", ENOTDIR, 1);
  close(dir);
}

static void do_mount(int rootfd, const struct bc_op *op, int errfd) {
  unsigned long flags = op->flags & ~PROPAGATION;
  int bind = (flags & MS_BIND) != 0;
  if (!strcmp(op->c, "proc") || !strcmp(op->c, "sysfs")) check_plain_dir(rootfd, op, errfd);
  struct stat st;
  enum bc_leaf leaf = bind && stat(op->a, &st) == 0 && !S_ISDIR(st.st_mode) ? BC_LEAF_FILE : BC_LEAF_DIR;
  char target[32];
  int fd = open_target(rootfd, op->b, leaf, target, errfd);
  const char *data = op->d[0] ? op->d : NULL;
  if (bind) {
    if (mount(op->a, target, NULL, MS_BIND | (flags & MS_REC), NULL) != 0) bc_fail(errfd, "bind mount", errno, 1);
  } else if (mount(op->a, target, op->c, flags, data) != 0) {
    bc_fail(errfd, op->c[0] ? op->c : "mount", errno, 1);
  }
  close(fd);
  unsigned long extra = bind ? flags & ~(MS_BIND | MS_REC) : 0;
  if (!extra && !(op->flags & PROPAGATION)) return;
  /* fd is the directory under the new mount: resolve again (still inside the rootfs) to reach its root */
  fd = open_target(rootfd, op->b, BC_LEAF_NONE, target, errfd);
  if (extra && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | extra | locked_flags(target), NULL) != 0)
    bc_fail(errfd, "remount bind mount", errno, 1);
  if ((op->flags & PROPAGATION) && mount(NULL, target, NULL, op->flags & (PROPAGATION | MS_REC), NULL) != 0)
    bc_fail(errfd, "set mount propagation", errno, 1);
  close(fd);
}

/* Device nodes and symlinks are made by name in their resolved parent, never through a symlink. */
static void make_node(int rootfd, const struct bc_op *op, int errfd) {
  char buf[4096];
  const char *name;
  int dir = bc_open_parent_in_root(rootfd, op->kind == BC_OP_SYMLINK ? op->b : op->a, buf, sizeof buf, &name);
  if (dir < 0) bc_fail(errfd, op->kind == BC_OP_SYMLINK ? "symlink" : "mknod", errno, 1);
  if (op->kind == BC_OP_SYMLINK) {
    if (symlinkat(op->a, dir, name) != 0 && errno != EEXIST) bc_fail(errfd, "symlink", errno, 1);
  } else {
    if (mknodat(dir, name, (mode_t)op->flags, makedev(op->major, op->minor)) != 0 && errno != EEXIST)
      bc_fail(errfd, "mknod", errno, 1);
    if (fchownat(dir, name, op->uid, op->gid, AT_SYMLINK_NOFOLLOW) != 0) bc_fail(errfd, "chown device", errno, 1);
  }
  close(dir);
}

static void run_ops(const struct bc_config *cfg, int rootfd, int errfd) {
  char target[32];
  for (size_t i = 0; i < cfg->nops; i++) {
    const struct bc_op *op = &cfg->ops[i];
    int fd;
    switch (op->kind) {
      case BC_OP_MOUNT: do_mount(rootfd, op, errfd); break;
      case BC_OP_MKDIR:
        fd = bc_open_in_root(rootfd, op->a, BC_LEAF_DIR, (mode_t)op->flags);
        if (fd < 0) bc_fail(errfd, "mkdir", errno, 1);
        close(fd);
        break;
      case BC_OP_MKNOD:
      case BC_OP_SYMLINK: make_node(rootfd, op, errfd); break;
      case BC_OP_PROPAGATION:
        fd = open_target(rootfd, op->b, BC_LEAF_NONE, target, errfd);
        if (mount(NULL, target, NULL, op->flags, NULL) != 0) bc_fail(errfd, "set mount propagation", errno, 1);
        close(fd);
        break;
    }
  }
}

/* runc's pivot_root(".", "."): the old root ends up under the new one and is detached at once. */
static void pivot(const char *rootfs, int errfd) {
  int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0) bc_fail(errfd, "open old root", errno, 1);
  if (chdir(rootfs) != 0) bc_fail(errfd, "chdir to rootfs", errno, 1);
  if (syscall(SYS_pivot_root, ".", ".") != 0) bc_fail(errfd, "pivot_root", errno, 1);
  if (fchdir(oldroot) != 0) bc_fail(errfd, "fchdir to old root", errno, 1);
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) != 0) bc_fail(errfd, "make old root slave", errno, 1);
  if (umount2(".", MNT_DETACH) != 0) bc_fail(errfd, "unmount old root", errno, 1);
  if (chdir("/") != 0) bc_fail(errfd, "chdir to new root", errno, 1);
  close(oldroot);
}

static void mask_paths(const struct bc_config *cfg, int errfd) {
  for (size_t i = 0; i < cfg->nreadonly; i++) {
    const char *p = cfg->readonly[i];
    if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) != 0) {
      if (errno == ENOENT) continue;
      bc_fail(errfd, "bind read-only path", errno, 1);
    }
    if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | locked_flags(p), NULL) != 0)
      bc_fail(errfd, "remount read-only path", errno, 1);
  }
  for (size_t i = 0; i < cfg->nmasked; i++) {
    const char *p = cfg->masked[i];
    struct stat st;
    if (stat(p, &st) != 0) continue;
    int r = S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0k") : mount("/dev/null", p, NULL, MS_BIND, NULL);
    if (r != 0) bc_fail(errfd, "mask path", errno, 1);
  }
}

static void write_sysctls(const struct bc_config *cfg, int errfd) {
  char path[512];
  for (size_t i = 0; i < cfg->nsysctls; i++) {
    const char *k = cfg->sysctl_keys[i];
    size_t klen = strlen(k);
    if (klen + 11 > sizeof path) bc_fail(errfd, "sysctl name", ENAMETOOLONG, 1);
    memcpy(path, "/proc/sys/", 10);
    for (size_t j = 0; j <= klen; j++) path[10 + j] = k[j] == '.' ? '/' : k[j];
    if (bc_write_file(path, cfg->sysctl_values[i], strlen(cfg->sysctl_values[i])) != 0) bc_fail(errfd, "write sysctl", errno, 1);
  }
}

void bc_join_namespaces(const struct bc_config *cfg, int types, int errfd) {
  for (size_t i = 0; i < cfg->njoins; i++) {
    if (!(cfg->joins[i].type & types)) continue;
    int fd = open(cfg->joins[i].path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) bc_fail(errfd, "open namespace", errno, 1);
    if (setns(fd, cfg->joins[i].type) != 0) bc_fail(errfd, "setns", errno, 1);
    close(fd);
  }
}

static void setup_stdio(const struct bc_config *cfg, const struct bc_stdio *io, int errfd) {
  if (setsid() < 0) bc_fail(errfd, "setsid", errno, 1);
  if (cfg->tty) {
    if (ioctl(io->console, TIOCSCTTY, 0) != 0) bc_fail(errfd, "set controlling terminal", errno, 1);
    for (int fd = 0; fd < 3; fd++)
      if (dup2(io->console, fd) < 0) bc_fail(errfd, "dup2 console", errno, 1);
  } else {
    int fds[3] = {io->in, io->out, io->err};
    for (int fd = 0; fd < 3; fd++)
      if (dup2(fds[fd], fd) < 0) bc_fail(errfd, "dup2 stdio", errno, 1);
  }
}

void bc_container_init(const struct bc_config *cfg, int sync, const struct bc_stdio *io) {
  char go;
  if (read(sync, &go, 1) != 1) _exit(1);
  if (bc_config_userns(cfg)) {
    if (setresgid(0, 0, 0) != 0) bc_fail(sync, "setgid in user namespace", errno, 1);
    if (setresuid(0, 0, 0) != 0) bc_fail(sync, "setuid in user namespace", errno, 1);
  }
  bc_join_namespaces(cfg, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP, sync);
  /* the monitor placed this process in its cgroups before "G": a new cgroup namespace is rooted there */
  if ((cfg->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) != 0) bc_fail(sync, "unshare cgroup namespace", errno, 1);
  setup_stdio(cfg, io, sync);
  if (cfg->clone_flags & CLONE_NEWNS) {
    unsigned long prop = cfg->rootfs_propagation ? cfg->rootfs_propagation : MS_PRIVATE;
    if (mount(NULL, "/", NULL, MS_REC | prop, NULL) != 0) bc_fail(sync, "set root propagation", errno, 1);
    if (mount(cfg->rootfs, cfg->rootfs, NULL, MS_BIND | MS_REC, NULL) != 0) bc_fail(sync, "bind rootfs", errno, 1);
    int rootfd = open(cfg->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0) bc_fail(sync, "open rootfs", errno, 1);
    run_ops(cfg, rootfd, sync);
    if (cfg->tty && io->console_path) {
      char target[32];
      int fd = open_target(rootfd, "/dev/console", BC_LEAF_FILE, target, sync);
      if (mount(io->console_path, target, NULL, MS_BIND, NULL) != 0) bc_fail(sync, "bind /dev/console", errno, 1);
      close(fd);
    }
    close(rootfd);
    pivot(cfg->rootfs, sync);
    /* inside the new root nothing resolves outside it; a failure shows later as "chdir to cwd" */
    if (cfg->cwd) mkdir_p(cfg->cwd, 0755);
    if (cfg->rootfs_readonly && mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags("/"), NULL) != 0)
      bc_fail(sync, "remount rootfs read-only", errno, 1);
  }
  if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) != 0) bc_fail(sync, "sethostname", errno, 1);
  if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) != 0) bc_fail(sync, "setdomainname", errno, 1);
  write_sysctls(cfg, sync);
  mask_paths(cfg, sync);
  bc_finalize(cfg, sync);
  if (write(sync, "R", 1) != 1) _exit(1);
  if (read(sync, &go, 1) != 1) _exit(1); /* the parent died or gave up before start */
  bc_exec(cfg, sync);
}
