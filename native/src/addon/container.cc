// Process-level calls for containers that Node lacks: setns(2) on the calling thread and openpty.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "registry.h"

namespace {

// setns(path, nstype): moves the calling thread into the namespace at path (/proc/PID/ns/net, ...).
Napi::Value Setns(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int nstype = info[1].As<Napi::Number>().Int32Value();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw berth::ErrnoError(info.Env(), errno, "open", path);
  int r = setns(fd, nstype);
  int err = errno;
  close(fd);
  if (r != 0) throw berth::ErrnoError(info.Env(), err, "setns", path);
  return info.Env().Undefined();
}

// openpty() -> { master, slave, path }: both fds close-on-exec; the slave is handed to children
// explicitly as their stdio.
Napi::Value Openpty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) throw berth::ErrnoError(env, errno, "posix_openpt");
  if (grantpt(master) != 0 || unlockpt(master) != 0) {
    int err = errno;
    close(master);
    throw berth::ErrnoError(env, err, "unlockpt");
  }
  char name[128];
  if (ptsname_r(master, name, sizeof name) != 0) {
    int err = errno;
    close(master);
    throw berth::ErrnoError(env, err, "ptsname_r");
  }
  int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    int err = errno;
    close(master);
    throw berth::ErrnoError(env, err, "open", name);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("master", master);
  out.Set("slave", slave);
  out.Set("path", name);
  return out;
}

// spawnMonitor(file, args) -> { fd, pid }: starts a daemonizing program (berth-monitor run) with
// posix_spawn (a vfork: no copy of Node's address space), stdio on /dev/null and a report pipe on
// fd 3. The caller reads fd until EOF, then reaps pid, the parent that exits as soon as it has
// forked the daemon: by EOF it has exited, so the reap does not block the event loop as waiting
// for it here did (tens of ms each on a loaded machine, serializing parallel starts).
Napi::Value SpawnMonitor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file = info[0].As<Napi::String>().Utf8Value();
  Napi::Array jsArgs = info[1].As<Napi::Array>();
  std::vector<std::string> args{file};
  for (uint32_t i = 0; i < jsArgs.Length(); i++) args.push_back(jsArgs.Get(i).As<Napi::String>().Utf8Value());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) throw berth::ErrnoError(env, errno, "pipe2");
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 3);
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);  // Node ignores SIGPIPE; the monitor starts clean
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int err = posix_spawn(&pid, file.c_str(), &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  close(pipefd[1]);
  if (err != 0) {
    close(pipefd[0]);
    throw berth::ErrnoError(env, err, "posix_spawn", file);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("fd", pipefd[0]);
  out.Set("pid", pid);
  return out;
}

// reap(pid): waits for a child started by spawnMonitor to exit and reaps it.
Napi::Value Reap(const Napi::CallbackInfo& info) {
  pid_t pid = info[0].As<Napi::Number>().Int32Value();
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return info.Env().Undefined();
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("spawnMonitor", Napi::Function::New(env, SpawnMonitor));
  exports.Set("reap", Napi::Function::New(env, Reap));
  exports.Set("setns", Napi::Function::New(env, Setns));
  exports.Set("openpty", Napi::Function::New(env, Openpty));
}

}  // namespace

BERTH_ADDON_MODULE(container, Register);
