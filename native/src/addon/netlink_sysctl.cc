// Network sysctls of another network namespace. /proc/sys/net/* shows the namespace of the
// thread that opens it, so a short-lived thread joins the namespace and does the file I/O.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>

#include "netlink_args.h"
#include "registry.h"

namespace berth::nl {
namespace {

// netnsSysctl(netns, key: 'net/ipv4/ip_forward', value: string | null) -> the value read
// (before writing, when a value is given).
Napi::Value NetnsSysctl(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    std::string key = StrArg(info, 1);
    bool write = info.Length() > 2 && info[2].IsString();
    std::string value = StrArg(info, 2);
    if (key.rfind("net/", 0) != 0 || key.find("..") != std::string::npos) throw Error{EINVAL, "sysctl", key};
    std::string path = "/proc/sys/" + key;
    Error failure{0, "", path};
    std::string read;
    std::thread worker([&] {
      if (ns.Given() && setns(ns.Fd(), CLONE_NEWNET) != 0) {
        failure = {errno, "setns", path};
        return;
      }
      int fd = open(path.c_str(), (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
      if (fd < 0) {
        failure = {errno, "open", path};
        return;
      }
      char buf[256];
      ssize_t n = pread(fd, buf, sizeof buf, 0);
      if (n < 0) failure = {errno, "read", path};
      else read.assign(buf, static_cast<size_t>(n));
      if (failure.err == 0 && write && pwrite(fd, value.data(), value.size(), 0) < 0) failure = {errno, "write", path};
      close(fd);
    });
    worker.join();
    if (failure.err != 0) throw failure;
    return Napi::String::New(info.Env(), read);
  });
}

void Register(Napi::Env env, Napi::Object exports) { exports.Set("netnsSysctl", Napi::Function::New(env, NetnsSysctl)); }

}  // namespace
}  // namespace berth::nl

BERTH_ADDON_MODULE(netlink_sysctl, berth::nl::Register);
