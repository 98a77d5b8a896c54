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

#define PROPAGATION (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

static int join_path(char *out, size_t len, const char *root, const char *path) {
  size_t r = strlen(root), p = strlen(path);
  if (r + p + 2 > len) { errno = ENAMETOOLONG; return -1; }
  memcpy(out, root, r);
  if (path[0] != '/') out[r++] = '/';
  memcpy(out + r, path, p + 1);
  return 0;
}

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

/* A bind of a file needs a file to mount on; everything else a directory. */
static int make_mountpoint(const char *target, const char *source, int bind) {
  struct stat st;
  if (bind && stat(source, &st) == 0 && !S_ISDIR(st.st_mode)) {
    char parent[4096];
    size_t len = strlen(target);
    if (len >= sizeof parent) { errno = ENAMETOOLONG; return -1; }
    memcpy(parent, target, len + 1);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) { *slash = 0; if (mkdir_p(parent, 0755) != 0) return -1; }
    int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EISDIR) return -1;
    if (fd >= 0) close(fd);
    return 0;
  }
  return mkdir_p(target, 0755);
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

static void do_mount(const struct bc_op *op, const char *target, int errfd) {
  unsigned long flags = op->flags & ~PROPAGATION;
  int bind = (flags & MS_BIND) != 0;
  if (make_mountpoint(target, op->a, bind) != 0) bc_fail(errfd, "create mount point", errno, 1);
  const char *data = op->d[0] ? op->d : NULL;
  if (bind) {
    if (mount(op->a, target, NULL, MS_BIND | (flags & MS_REC), NULL) != 0) bc_fail(errfd, "bind mount", errno, 1);
    unsigned long extra = flags & ~(MS_BIND | MS_REC);
    if (extra && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | extra | locked_flags(target), NULL) != 0)
      bc_fail(errfd, "remount bind mount", errno, 1);
  } else if (mount(op->a, target, op->c, flags, data) != 0) {
    bc_fail(errfd, op->c[0] ? op->c : "mount", errno, 1);
  }
  if ((op->flags & PROPAGATION) && mount(NULL, target, NULL, op->flags & (PROPAGATION | MS_REC), NULL) != 0)
    bc_fail(errfd, "set mount propagation", errno, 1);
}

static void run_ops(const struct bc_config *cfg, int errfd) {
  char target[4096];
  for (size_t i = 0; i < cfg->nops; i++) {
    const struct bc_op *op = &cfg->ops[i];
    const char *rel = op->kind == BC_OP_MOUNT || op->kind == BC_OP_SYMLINK || op->kind == BC_OP_PROPAGATION ? op->b : op->a;
    if (join_path(target, sizeof target, cfg->rootfs, rel) != 0) bc_fail(errfd, "rootfs path", errno, 1);
    switch (op->kind) {
      case BC_OP_MOUNT: do_mount(op, target, errfd); break;
      case BC_OP_MKDIR:
        if (mkdir_p(target, (mode_t)op->flags) != 0) bc_fail(errfd, "mkdir", errno, 1);
        break;
      case BC_OP_MKNOD:
        if (mknod(target, (mode_t)op->flags, makedev(op->major, op->minor)) != 0 && errno != EEXIST)
          bc_fail(errfd, "mknod", errno, 1);
        if (chown(target, op->uid, op->gid) != 0) bc_fail(errfd, "chown device", errno, 1);
        break;
      case BC_OP_SYMLINK:
        if (symlink(op->a, target) != 0 && errno != EEXIST) bc_fail(errfd, "symlink", errno, 1);
        break;
      case BC_OP_PROPAGATION:
        if (mount(NULL, target, NULL, op->flags, NULL) != 0) bc_fail(errfd, "set mount propagation", errno, 1);
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
  if (cfg->clone_flags & CLONE_NEWUSER) {
    if (setresgid(0, 0, 0) != 0) bc_fail(sync, "setgid in user namespace", errno, 1);
    if (setresuid(0, 0, 0) != 0) bc_fail(sync, "setuid in user namespace", errno, 1);
  }
  bc_join_namespaces(cfg, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP, sync);
  setup_stdio(cfg, io, sync);
  if (cfg->clone_flags & CLONE_NEWNS) {
    unsigned long prop = cfg->rootfs_propagation ? cfg->rootfs_propagation : MS_PRIVATE;
    if (mount(NULL, "/", NULL, MS_REC | prop, NULL) != 0) bc_fail(sync, "set root propagation", errno, 1);
    if (mount(cfg->rootfs, cfg->rootfs, NULL, MS_BIND | MS_REC, NULL) != 0) bc_fail(sync, "bind rootfs", errno, 1);
    run_ops(cfg, sync);
    char path[4096];
    if (cfg->tty && io->console_path) {
      if (join_path(path, sizeof path, cfg->rootfs, "/dev/console") != 0) bc_fail(sync, "console path", errno, 1);
      int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
      if (fd >= 0) close(fd);
      if (mount(io->console_path, path, NULL, MS_BIND, NULL) != 0) bc_fail(sync, "bind /dev/console", errno, 1);
    }
    if (cfg->cwd && join_path(path, sizeof path, cfg->rootfs, cfg->cwd) == 0) mkdir_p(path, 0755);
    pivot(cfg->rootfs, sync);
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
