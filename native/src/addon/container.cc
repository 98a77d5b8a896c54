// Process-level calls for containers that Node lacks: setns(2) on the calling thread and openpty.
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <string>

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

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("setns", Napi::Function::New(env, Setns));
  exports.Set("openpty", Napi::Function::New(env, Openpty));
}

}  // namespace

BERTH_ADDON_MODULE(container, Register);
