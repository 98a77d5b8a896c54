/* Paths inside the container's rootfs, resolved as if the rootfs were "/" (runc's securejoin, done by
 * the kernel with openat2 RESOLVE_IN_ROOT): absolute symlink targets start again at the rootfs, ".."
 * stops there, a symlink loop fails with ELOOP. A hostile image cannot make a mount, device node or
 * directory land outside its rootfs. No allocation: safe between clone and exec. */
#pragma once
#include <sys/types.h>

enum bc_leaf { BC_LEAF_NONE, BC_LEAF_DIR, BC_LEAF_FILE };

/* Opens `path` below rootfd as an O_PATH fd. When it is missing and leaf is not BC_LEAF_NONE, creates
 * the missing directories (mode 0755) and the last component (a directory with `mode`, or an empty
 * file), each by name inside its already resolved parent. Returns the fd, or -1 with errno. */
int bc_open_in_root(int rootfd, const char *path, enum bc_leaf leaf, mode_t mode);

/* Opens the parent directory of `path` below rootfd (creating missing directories) and points *name
 * at the last component, inside buf. Returns the fd, or -1 with errno. */
int bc_open_parent_in_root(int rootfd, const char *path, char *buf, size_t buflen, const char **name);

/* "/proc/self/fd/N": mount(2) and friends follow it to exactly what fd resolved to. */
void bc_fd_path(char out[32], int fd);
