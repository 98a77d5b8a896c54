/* berth-monitor: the per-container monitor (like conmon).
 *
 *   berth-monitor run RUNDIR    start the container of RUNDIR/config, daemonized (the process the
 *                               caller started exits at once; the monitor lives on detached):
 *                               own its stdio or pty, write the json-file log, record the exit in
 *                               RUNDIR/exit.json, serve RUNDIR/monitor.sock (see protocol.h)
 *   berth-monitor exec CONFIG   run a process inside a running container (joins its namespaces
 *                               and cgroups); exits with that process's status
 *
 * fd 3, when open, is the report pipe to the caller: "ok PID\n" or
 * "error\tEXIT\tERRNO\tSTEP\n" (exec mode: "pid PID\n" first). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../container/config.h"
#include "../container/init.h"
#include "../container/process.h"
#include "jsonlog.h"
#include "protocol.h"

#define BERTH_MONITOR_VERSION "0.2.0"
#define REPORT_FD 3
/* exec mode: the optional pipe of terminal sizes */
#define CONTROL_FD 4
#define MAX_CLIENTS 32
/* how long an exited monitor waits for its clients to hang up */
#define LINGER_MS 5000

static int report_open(void) { return fcntl(REPORT_FD, F_GETFD) >= 0; }

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...) {
  if (!report_open()) return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) (void)!write(REPORT_FD, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void report_error(const struct bc_error *e) { report("error\t%d\t%d\t%s\n", e->exit_code, e->err, e->step); }

static __attribute__((noreturn)) void die(const char *step, int err) {
  struct bc_error e = {err, 1, {0}};
  snprintf(e.step, sizeof e.step, "%s", step);
  report_error(&e);
  fprintf(stderr, "berth-monitor: %s: %s\n", step, strerror(err));
  exit(1);
}

static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

/* Writes RUNDIR/name atomically (temp file + rename), so a reader never sees half a file. */
static void write_state(const char *dir, const char *name, const char *data) {
  char tmp[4200], dst[4200];
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  int ok = write_all(fd, data, strlen(data)) == 0;
  close(fd);
  if (ok) rename(tmp, dst);
}

static long long read_oom_kills(const char *path) {
  if (!path) return -1;
  char buf[4096];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  /* v1 memory.oom_control and v2 memory.events both carry an "oom_kill N" line */
  char *p = strstr(buf, "oom_kill ");
  return p ? atoll(p + 9) : -1;
}

/* ---- run mode ---- */

struct client {
  int fd;
  unsigned subscribed;
  size_t len;
  unsigned char buf[BM_HEADER + BM_MAX_PAYLOAD];
};

static struct {
  const char *dir;
  struct bc_config cfg;
  pid_t pid;
  int sync;
  int out[2];   /* read ends of stdout/stderr, or the pty master in out[0] */
  int in;       /* write end of stdin, or the pty master; -1 when closed */
  int listen;
  int sigfd;
  struct client clients[MAX_CLIENTS];
  struct jsonlog log;
  int has_log, started;
  long long oom_base, oom_seen;
  int oomfd; /* v1: eventfd registered on memory.oom_control; v2: inotify on memory.events */
  int oom_counted; /* v2: only a rising oom_kill counter is an OOM */
  char started_at[64];
} m;

static void send_frame(struct client *c, int type, const void *data, size_t len) {
  unsigned char hdr[BM_HEADER] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                                  (unsigned char)(len >> 8), (unsigned char)len};
  if (write_all(c->fd, hdr, sizeof hdr) != 0 || write_all(c->fd, data, len) != 0) {
    close(c->fd);
    c->fd = -1;
  }
}

static void output(int stream, const char *data, size_t len) {
  if (m.has_log) jl_write(&m.log, stream, data, len);
  for (int i = 0; i < MAX_CLIENTS; i++) {
    struct client *c = &m.clients[i];
    if (c->fd >= 0 && (c->subscribed & (1u << stream))) send_frame(c, stream == 0 ? BM_STDOUT : BM_STDERR, data, len);
  }
}

/* Reads what is available on an output fd; returns 0 at EOF (or EIO from a pty whose slave closed). */
static int pump(int stream) {
  char buf[32768];
  ssize_t n = read(m.out[stream], buf, sizeof buf);
  if (n > 0) { output(stream, buf, (size_t)n); return 1; }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 1;
  return 0;
}

static void start_container(struct client *c) {
  char reply[256] = "";
  if (m.started) {
    snprintf(reply, sizeof reply, "1\t%d\tcontainer already started", EEXIST);
  } else {
    struct bc_error e;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    jl_format_time(&ts, m.started_at, sizeof m.started_at);
    m.oom_base = read_oom_kills(m.cfg.oom_file);
    m.started = 1;
    ssize_t n = -1;
    if (write(m.sync, "S", 1) == 1) {
      do n = read(m.sync, &e, sizeof e); while (n < 0 && errno == EINTR);
    }
    if (n == (ssize_t)sizeof e) snprintf(reply, sizeof reply, "%d\t%d\t%s", e.exit_code, e.err, e.step);
    else if (n != 0) snprintf(reply, sizeof reply, "1\t%d\tcontainer init is gone", EPIPE);
  }
  send_frame(c, BM_START_RESULT, reply, strlen(reply));
}

static void handle_frame(struct client *c, int type, const unsigned char *p, size_t len) {
  switch (type) {
    case BM_STDIN:
      if (m.in >= 0 && write_all(m.in, p, len) != 0 && !m.cfg.tty) { close(m.in); m.in = -1; }
      break;
    case BM_STDIN_CLOSE:
      if (m.in >= 0 && !m.cfg.tty) { close(m.in); m.in = -1; }
      break;
    case BM_RESIZE:
      if (m.cfg.tty && len >= 4) {
        struct winsize ws = {(unsigned short)(p[0] << 8 | p[1]), (unsigned short)(p[2] << 8 | p[3]), 0, 0};
        ioctl(m.out[0], TIOCSWINSZ, &ws);
      }
      break;
    case BM_SIGNAL:
      if (len >= 4) kill(m.pid, (int)((unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3]));
      break;
    case BM_SUBSCRIBE:
      if (len >= 1) c->subscribed = p[0];
      break;
    case BM_START:
      start_container(c);
      break;
  }
}

static void client_read(struct client *c) {
  ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
  if (n <= 0) {
    if (n < 0 && errno == EINTR) return;
    close(c->fd);
    c->fd = -1;
    return;
  }
  c->len += (size_t)n;
  size_t off = 0;
  while (c->len - off >= BM_HEADER) {
    const unsigned char *h = c->buf + off;
    size_t plen = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
    if (plen > BM_MAX_PAYLOAD) { close(c->fd); c->fd = -1; return; }
    if (c->len - off < BM_HEADER + plen) break;
    handle_frame(c, h[0], h + BM_HEADER, plen);
    if (c->fd < 0) return;
    off += BM_HEADER + plen;
  }
  memmove(c->buf, c->buf + off, c->len - off);
  c->len -= off;
}

/* A lingering close: each client gets EOF after the exit frame, and the monitor stays until it
 * hangs up (or LINGER_MS pass), discarding what it still sends. Closing at once would let a
 * client's late frame (a STDIN_CLOSE sent as the container exited) fail with EPIPE, and a client
 * whose write fails (node destroys the socket) never reads the output and exit queued for it. */
static void linger_clients(void) {
  struct timespec t0, now;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (m.clients[i].fd >= 0) shutdown(m.clients[i].fd, SHUT_WR);
  for (;;) {
    struct pollfd p[MAX_CLIENTS];
    int idx[MAX_CLIENTS];
    nfds_t n = 0;
    for (int i = 0; i < MAX_CLIENTS; i++)
      if (m.clients[i].fd >= 0) { idx[n] = i; p[n++] = (struct pollfd){m.clients[i].fd, POLLIN, 0}; }
    clock_gettime(CLOCK_MONOTONIC, &now);
    long left = LINGER_MS - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
    if (n == 0 || left <= 0) return;
    if (poll(p, n, (int)left) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (nfds_t k = 0; k < n; k++) {
      char buf[4096];
      ssize_t r = p[k].revents ? read(p[k].fd, buf, sizeof buf) : 1;
      if (r > 0 || (r < 0 && errno == EINTR)) continue;
      close(p[k].fd);
      m.clients[idx[k]].fd = -1;
    }
  }
}

static void finish(int status) {
  /* The init is gone, so its pid namespace is too; read what the pipes still hold. */
  for (int s = 0; s < 2; s++) {
    if (m.out[s] < 0) continue;
    int fl = fcntl(m.out[s], F_GETFL);
    fcntl(m.out[s], F_SETFL, fl | O_NONBLOCK);
    struct pollfd p = {m.out[s], POLLIN, 0};
    while (poll(&p, 1, 200) > 0 && pump(s)) {}
  }
  if (m.has_log) jl_flush(&m.log);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  long long oom = read_oom_kills(m.cfg.oom_file);
  int oom_killed = m.oom_base >= 0 && oom > m.oom_base;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char finished[64], json[512];
  jl_format_time(&ts, finished, sizeof finished);
  snprintf(json, sizeof json, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"startedAt\":\"%s\",\"finishedAt\":\"%s\"}\n",
           code, WIFSIGNALED(status) ? WTERMSIG(status) : 0, oom_killed ? "true" : "false", m.started_at, finished);
  write_state(m.dir, "exit.json", json);
  char sock[4200];
  snprintf(sock, sizeof sock, "%s/monitor.sock", m.dir);
  unlink(sock);
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (m.clients[i].fd >= 0) send_frame(&m.clients[i], BM_EXIT, json, strlen(json));
  linger_clients();
  exit(0);
}

static void accept_client(void) {
  int fd = accept4(m.listen, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return;
  for (int i = 0; i < MAX_CLIENTS; i++) {
    if (m.clients[i].fd < 0) {
      m.clients[i].fd = fd;
      m.clients[i].len = 0;
      m.clients[i].subscribed = 0;
      return;
    }
  }
  close(fd);
}

/* OOM notification: v1 signals an eventfd registered through cgroup.event_control when the cgroup
 * hits OOM (before the kill); v2 changes memory.events (inotify), where the oom_kill counter rising
 * says a kill happened. */
static int watch_oom(const char *file) {
  if (!file) return -1;
  const char *base = strrchr(file, '/');
  if (base && strcmp(base, "/memory.events") == 0) {
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd >= 0 && inotify_add_watch(fd, file, IN_MODIFY) < 0) { close(fd); return -1; }
    m.oom_counted = 1;
    return fd;
  }
  char control[4200];
  snprintf(control, sizeof control, "%.*s/cgroup.event_control", base ? (int)(base - file) : 0, file);
  int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  int ofd = open(file, O_RDONLY | O_CLOEXEC);
  char reg[64];
  int n = snprintf(reg, sizeof reg, "%d %d", efd, ofd);
  int ok = efd >= 0 && ofd >= 0 && bc_write_file(control, reg, (size_t)n) == 0;
  if (ofd >= 0) close(ofd);
  if (!ok && efd >= 0) { close(efd); efd = -1; }
  return efd;
}

static void oom_event(void) {
  char buf[4096];
  while (read(m.oomfd, buf, sizeof buf) > 0) {}
  if (m.oom_counted) {
    long long kills = read_oom_kills(m.cfg.oom_file);
    if (kills <= m.oom_seen) return;
    m.oom_seen = kills;
  }
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (m.clients[i].fd >= 0) send_frame(&m.clients[i], BM_OOM, "", 0);
}

static void loop(void) {
  for (;;) {
    struct pollfd p[5 + MAX_CLIENTS];
    int idx[MAX_CLIENTS];
    nfds_t n = 0;
    p[n++] = (struct pollfd){m.sigfd, POLLIN, 0};
    p[n++] = (struct pollfd){m.listen, POLLIN, 0};
    p[n++] = (struct pollfd){m.out[0], POLLIN, 0};
    p[n++] = (struct pollfd){m.out[1], POLLIN, 0};
    p[n++] = (struct pollfd){m.oomfd, POLLIN, 0};
    for (int i = 0; i < MAX_CLIENTS; i++)
      if (m.clients[i].fd >= 0) { idx[n - 5] = i; p[n++] = (struct pollfd){m.clients[i].fd, POLLIN, 0}; }
    if (poll(p, n, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll", errno);
    }
    for (int s = 0; s < 2; s++)
      if (p[2 + s].revents && !pump(s)) { close(m.out[s]); m.out[s] = -1; }
    if (p[1].revents & POLLIN) accept_client();
    if (p[4].revents & POLLIN) oom_event();
    for (nfds_t i = 5; i < n; i++)
      if (p[i].revents && m.clients[idx[i - 5]].fd >= 0) client_read(&m.clients[idx[i - 5]]);
    if (p[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      (void)!read(m.sigfd, &si, sizeof si);
      int status;
      if (waitpid(m.pid, &status, WNOHANG) == m.pid) finish(status);
    }
  }
}

/*
 * Clones the container's init with `flags`. Joining another container's user namespace (to share its
 * network), the new namespaces must belong to that one: a short-lived child joins it and clones
 * the init as the monitor's own child (CLONE_PARENT), leaving the monitor in the host's.
 */
static pid_t clone_init(const struct bc_config *cfg, unsigned long flags) {
  if (!bc_config_joins(cfg, CLONE_NEWUSER)) return (pid_t)syscall(SYS_clone, flags, 0, 0, 0, 0);
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) die("pipe", errno);
  pid_t mid = fork();
  if (mid < 0) die("fork", errno);
  if (mid == 0) {
    close(p[0]);
    bc_join_namespaces(cfg, CLONE_NEWUSER, -1);
    pid_t pid = (pid_t)syscall(SYS_clone, flags | CLONE_PARENT, 0, 0, 0, 0);
    if (pid == 0) return 0; /* the init goes on in the caller */
    (void)!write(p[1], &pid, sizeof pid);
    _exit(pid < 0 ? 1 : 0);
  }
  close(p[1]);
  pid_t pid = -1;
  ssize_t n;
  do n = read(p[0], &pid, sizeof pid); while (n < 0 && errno == EINTR);
  close(p[0]);
  waitpid(mid, NULL, 0);
  if (n != sizeof pid) errno = EPERM;
  return n == sizeof pid ? pid : -1;
}

/* Writes one of the child's /proc files (its id maps, oom_score_adj) from the host's side. */
static void write_map(pid_t pid, const char *file, const char *map) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  if (bc_write_file(path, map, strlen(map)) != 0) die(file, errno);
}

static int listen_socket(const char *dir) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int dirfd = -1;
  if ((size_t)snprintf(addr.sun_path, sizeof addr.sun_path, "%s/monitor.sock", dir) >= sizeof addr.sun_path) {
    /* A run dir deeper than sun_path allows (108 bytes) is reached through /proc/self/fd. */
    dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) die("open run dir", errno);
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/monitor.sock", dirfd);
  }
  unlink(addr.sun_path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0) die("listen on monitor socket", errno);
  if (dirfd >= 0) close(dirfd);
  return fd;
}

static int run(const char *dir) {
  char err[512], path[4200];
  m.dir = dir;
  snprintf(path, sizeof path, "%s/config", dir);
  if (bc_config_load(path, &m.cfg, err, sizeof err) != 0) {
    report("error\t1\t%d\t%s\n", EINVAL, err);
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  for (int i = 0; i < MAX_CLIENTS; i++) m.clients[i].fd = -1;
  /* Daemonize like conmon: the caller reaps the short-lived parent at once and never has to reap
   * the monitor, which belongs to init (or the nearest subreaper) from here on. */
  pid_t daemon = fork();
  if (daemon < 0) die("fork monitor", errno);
  if (daemon > 0) _exit(0);
  setsid();

  struct bc_stdio io = {-1, -1, -1, -1, NULL};
  int in_pipe[2] = {-1, -1}, out_pipe[2], err_pipe[2];
  if (m.cfg.tty) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die("open pty", errno);
    io.console_path = ptsname(master);
    io.console = open(io.console_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (io.console < 0) die("open pty slave", errno);
    m.out[0] = master;
    m.out[1] = -1;
    m.in = m.cfg.open_stdin ? master : -1;
  } else {
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) die("pipe", errno);
    if (m.cfg.open_stdin) {
      if (pipe2(in_pipe, O_CLOEXEC) != 0) die("pipe", errno);
    } else if ((in_pipe[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
      die("open /dev/null", errno);
    }
    io.in = in_pipe[0];
    io.out = out_pipe[1];
    io.err = err_pipe[1];
    m.out[0] = out_pipe[0];
    m.out[1] = err_pipe[0];
    m.in = in_pipe[1];
  }
  if (m.cfg.log_path) {
    if (jl_open(&m.log, m.cfg.log_path, m.cfg.log_max_size, m.cfg.log_max_file) != 0) die("open log", errno);
    m.has_log = 1;
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) die("socketpair", errno);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  m.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
  if (m.sigfd < 0) die("signalfd", errno);
  /* A joined pid namespace applies to children only, so join it here, before the clone. */
  bc_join_namespaces(&m.cfg, CLONE_NEWPID, -1);

  /* A cgroup namespace is rooted at its creator's cgroup: the init unshares it after "G", once placed. */
  int cgroupns = (m.cfg.clone_flags & CLONE_NEWCGROUP) != 0;
  m.pid = clone_init(&m.cfg, (m.cfg.clone_flags & ~(unsigned long)CLONE_NEWCGROUP) | SIGCHLD);
  if (m.pid < 0) die("clone", errno);
  if (m.pid == 0) {
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    close(sv[0]);
    close(REPORT_FD); /* the caller waits for this pipe to close */
    bc_container_init(&m.cfg, sv[1], &io);
  }
  close(sv[1]);
  m.sync = sv[0];
  if (io.in >= 0) close(io.in);
  if (io.out >= 0) close(io.out);
  if (io.err >= 0) close(io.err);
  if (io.console >= 0) close(io.console);

  if (m.cfg.uid_map) write_map(m.pid, "uid_map", m.cfg.uid_map);
  if (m.cfg.gid_map) write_map(m.pid, "gid_map", m.cfg.gid_map);
  /* In a new user namespace the init may not write its oom_score_adj (the file is the host root's,
   * and lowering needs CAP_SYS_RESOURCE over the host): set it from here, as runc does before it
   * unshares; the init leaves it alone then. */
  if (bc_config_userns(&m.cfg) && m.cfg.has_oom_score_adj) {
    char adj[16];
    snprintf(adj, sizeof adj, "%d", m.cfg.oom_score_adj);
    write_map(m.pid, "oom_score_adj", adj);
  }
  /* The first cgroup attach of a new task can wait a whole RCU grace period (ms on v1): the init
   * sets up its rootfs meanwhile (unless it makes a cgroup namespace, which must come after). It
   * cannot exec before start, which comes after our "ok", which comes after placement: the
   * command never runs outside its cgroups. */
  char pidstr[32];
  snprintf(pidstr, sizeof pidstr, "%d", m.pid);
  int placement = 0;
  if (!cgroupns && write(m.sync, "G", 1) != 1) die("release container init", errno);
  for (size_t i = 0; i < m.cfg.ncgroup_procs && placement == 0; i++)
    if (bc_write_file(m.cfg.cgroup_procs[i], pidstr, strlen(pidstr)) != 0) placement = errno;
  if (placement != 0) {
    kill(m.pid, SIGKILL);
    waitpid(m.pid, NULL, 0);
    die("join cgroup", placement);
  }
  if (cgroupns && write(m.sync, "G", 1) != 1) die("release container init", errno);
  struct bc_error e;
  ssize_t n = -1;
  do n = read(m.sync, &e, sizeof e); while (n < 0 && errno == EINTR);
  if (n != 1) {
    if (n != (ssize_t)sizeof e) e = (struct bc_error){EPIPE, 1, "container init exited"};
    report_error(&e);
    kill(m.pid, SIGKILL);
    waitpid(m.pid, NULL, 0);
    return 1;
  }
  snprintf(pidstr, sizeof pidstr, "%d\n", m.pid);
  write_state(dir, "pid", pidstr);
  m.oom_seen = read_oom_kills(m.cfg.oom_file);
  m.oomfd = watch_oom(m.cfg.oom_file);
  m.listen = listen_socket(dir);
  report("ok %d\n", m.pid);
  close(REPORT_FD);
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) { dup2(devnull, 0); dup2(devnull, 1); dup2(devnull, 2); if (devnull > 2) close(devnull); }
  loop();
  return 0;
}

/* ---- exec mode ---- */

/* Copies what is readable on `from` to `to`; returns 0 at EOF or error. */
static int relay(int from, int to) {
  char buf[16384];
  ssize_t n = read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (n <= 0) return 0;
  return write_all(to, buf, (size_t)n) == 0;
}

/* With a tty, the terminal is opened inside the container (its devpts, so ttyname works there)
 * and relayed to this helper's stdin and stdout. */
static int exec_in(const char *config) {
  struct bc_config cfg;
  char err[512];
  if (bc_config_load(config, &cfg, err, sizeof err) != 0) {
    report("error\t1\t%d\t%s\n", EINVAL, err);
    return 1;
  }
  fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC); /* the exec'd process must not hold the report pipe */
  fcntl(CONTROL_FD, F_SETFD, FD_CLOEXEC);
  signal(SIGPIPE, SIG_IGN);
  char pidstr[32];
  snprintf(pidstr, sizeof pidstr, "%d", getpid());
  for (size_t i = 0; i < cfg.ncgroup_procs; i++)
    if (bc_write_file(cfg.cgroup_procs[i], pidstr, strlen(pidstr)) != 0) die("join cgroup", errno);
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) != 0) die("pipe", errno);
  /* The user namespace first (it owns the others), the mount namespace last (after it, the
   * host's /proc paths of the other namespaces would no longer resolve). */
  bc_join_namespaces(&cfg, CLONE_NEWUSER, REPORT_FD);
  bc_join_namespaces(&cfg, CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP, REPORT_FD);
  bc_join_namespaces(&cfg, CLONE_NEWNS, REPORT_FD);
  int master = -1, slave = -1;
  if (cfg.tty) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die("open pty in container", errno);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) die("open pty slave in container", errno);
  }
  sigset_t mask, old;
  sigfillset(&mask);
  sigprocmask(SIG_BLOCK, &mask, &old);
  int sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
  if (sigfd < 0) die("signalfd", errno);
  pid_t pid = fork();
  if (pid < 0) die("fork", errno);
  if (pid == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(errpipe[0]);
    if (setsid() < 0) bc_fail(errpipe[1], "setsid", errno, 1);
    if (cfg.tty) {
      if (ioctl(slave, TIOCSCTTY, 0) != 0) bc_fail(errpipe[1], "set controlling terminal", errno, 1);
      for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) bc_fail(errpipe[1], "dup2 terminal", errno, 1);
    }
    bc_finalize(&cfg, errpipe[1]);
    bc_exec(&cfg, errpipe[1]);
  }
  close(errpipe[1]);
  if (slave >= 0) close(slave);
  report("pid %d\n", pid);
  struct bc_error e;
  if (read(errpipe[0], &e, sizeof e) == (ssize_t)sizeof e) report_error(&e);
  int in_open = cfg.tty, out_open = cfg.tty;
  /* fd 4, when the caller passes it, carries terminal sizes: rows and cols, 16 bits big-endian each. */
  int ctl_open = cfg.tty && fcntl(CONTROL_FD, F_GETFD) >= 0;
  unsigned char ctl[4];
  size_t ctl_len = 0;
  for (;;) {
    struct pollfd p[4] = {{sigfd, POLLIN, 0}, {in_open ? 0 : -1, POLLIN, 0}, {out_open ? master : -1, POLLIN, 0}, {ctl_open ? CONTROL_FD : -1, POLLIN, 0}};
    if (poll(p, 4, -1) < 0) continue;
    if (p[1].revents && !relay(0, master)) in_open = 0;
    if (p[2].revents && !relay(master, 1)) out_open = 0;
    if (p[3].revents) {
      ssize_t n = read(CONTROL_FD, ctl + ctl_len, sizeof ctl - ctl_len);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) ctl_open = 0;
      if (n > 0 && (ctl_len += (size_t)n) == sizeof ctl) {
        struct winsize ws = {(unsigned short)(ctl[0] << 8 | ctl[1]), (unsigned short)(ctl[2] << 8 | ctl[3]), 0, 0};
        ioctl(master, TIOCSWINSZ, &ws);
        ctl_len = 0;
      }
    }
    if (!(p[0].revents & POLLIN)) continue;
    struct signalfd_siginfo si;
    if (read(sigfd, &si, sizeof si) != (ssize_t)sizeof si) continue;
    /* Relay the signals a caller sends to the exec'd process. */
    if (si.ssi_signo != SIGCHLD) { kill(pid, (int)si.ssi_signo); continue; }
    int status;
    if (waitpid(pid, &status, WNOHANG) != pid) continue;
    /* the terminal may still hold output the process wrote just before exiting */
    if (out_open) {
      fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
      while (relay(master, 1)) {
        struct pollfd q = {master, POLLIN, 0};
        if (poll(&q, 1, 50) <= 0) break;
      }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("berth-monitor %s\n", BERTH_MONITOR_VERSION);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "run") == 0) return run(argv[2]);
  if (argc == 3 && strcmp(argv[1], "exec") == 0) return exec_in(argv[2]);
  fprintf(stderr, "usage: berth-monitor --version | run RUNDIR | exec CONFIG\n");
  return 2;
}
