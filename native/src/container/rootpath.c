#define _GNU_SOURCE
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The rootfs is "/" for every lookup; magic links (/proc/self/...) would jump out of it. */
static int open_resolved(int rootfd, const char *path) {
  struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

static int create_leaf(int dirfd, const char *name, enum bc_leaf leaf, mode_t mode) {
  if (leaf == BC_LEAF_DIR) return mkdirat(dirfd, name, mode);
  /* O_EXCL|O_NOFOLLOW: never opens or follows what is already there */
  int fd = openat(dirfd, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

/* Replaces the dangling symlink `name` (at buf[name - buf], in the directory dirfd) by its target in
 * buf, keeping the components after it: the walk then starts again on the new path. */
static int splice_link(int dirfd, char *buf, size_t buflen, char *name, const char *rest) {
  char target[4096], joined[4096];
  ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
  if (n < 0) return -1;
  target[n] = 0;
  size_t base = target[0] == '/' ? 0 : (size_t)(name - buf), tlen = (size_t)n, rlen = strlen(rest);
  if (base + tlen + 1 + rlen >= sizeof joined || base + tlen + 1 + rlen >= buflen) { errno = ENAMETOOLONG; return -1; }
  memcpy(joined, buf, base);
  memcpy(joined + base, target, tlen);
  joined[base + tlen] = '/';
  memcpy(joined + base + tlen + 1, rest, rlen + 1);
  memcpy(buf, joined, base + tlen + rlen + 2);
  return 0;
}

enum { WALK_RESTART = -2 };

/* Resolves each prefix of buf in turn; a missing component is created by name in its resolved parent
 * and the prefix resolved again, so a symlink met on the way is only ever followed inside the rootfs. */
static int create_walk(int rootfd, char *buf, size_t buflen, enum bc_leaf leaf, mode_t mode) {
  int dir = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
  char *p = buf;
  while (dir >= 0) {
    while (*p == '/') p++;
    if (!*p) break;
    char *end = strchrnul(p, '/');
    char *rest = end;
    while (*rest == '/') rest++;
    int last = *rest == 0;
    char saved = *end;
    *end = 0;
    int next = open_resolved(rootfd, buf);
    if (next < 0 && errno == ENOENT) {
      if (create_leaf(dir, p, last ? leaf : BC_LEAF_DIR, last ? mode : 0755) == 0) next = open_resolved(rootfd, buf);
      /* EEXIST yet ENOENT: a symlink to a missing path; create that path instead, as securejoin does */
      else if (errno == EEXIST) next = splice_link(dir, buf, buflen, p, rest) == 0 ? WALK_RESTART : -1;
    }
    int saved_errno = errno;
    close(dir);
    errno = saved_errno;
    if (next == WALK_RESTART) return WALK_RESTART;
    dir = next;
    *end = saved;
    p = end;
  }
  return dir;
}

int bc_open_in_root(int rootfd, const char *path, enum bc_leaf leaf, mode_t mode) {
  int fd = open_resolved(rootfd, path);
  if (fd >= 0 || errno != ENOENT || leaf == BC_LEAF_NONE) return fd;
  char buf[4096];
  size_t len = strlen(path);
  if (len >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
  memcpy(buf, path, len + 1);
  for (int hops = 0; hops < 40; hops++) { /* the kernel's own symlink limit */
    fd = create_walk(rootfd, buf, sizeof buf, leaf, mode);
    if (fd != WALK_RESTART) return fd;
  }
  errno = ELOOP;
  return -1;
}

int bc_open_parent_in_root(int rootfd, const char *path, char *buf, size_t buflen, const char **name) {
  size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') len--;
  if (len >= buflen) { errno = ENAMETOOLONG; return -1; }
  memcpy(buf, path, len);
  buf[len] = 0;
  char *slash = strrchr(buf, '/');
  if (!slash || !slash[1]) { errno = EINVAL; return -1; } /* "/" or "" has no parent to create in */
  *slash = 0;
  *name = slash + 1;
  int fd = bc_open_in_root(rootfd, buf[0] ? buf : "/", BC_LEAF_DIR, 0755);
  *slash = '/';
  return fd;
}

void bc_fd_path(char out[32], int fd) {
  static const char prefix[] = "/proc/self/fd/";
  char digits[12];
  int n = 0;
  do digits[n++] = (char)('0' + fd % 10); while ((fd /= 10) > 0);
  memcpy(out, prefix, sizeof prefix - 1);
  size_t o = sizeof prefix - 1;
  while (n > 0) out[o++] = digits[--n];
  out[o] = 0;
}
