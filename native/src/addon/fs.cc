// File-system calls Node lacks: mount/umount2, mknod, and the l*xattr family (overlay's
// whiteout devices and opaque xattrs, tar xattrs). All synchronous: each is one syscall.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "registry.h"

namespace {

std::string StrArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsNull() || info[i].IsUndefined()) return "";
  return info[i].As<Napi::String>().Utf8Value();
}

// mount(source, target, fstype, flags, data)
Napi::Value Mount(const Napi::CallbackInfo& info) {
  std::string source = StrArg(info, 0), target = StrArg(info, 1), fstype = StrArg(info, 2), data = StrArg(info, 4);
  unsigned long flags = static_cast<unsigned long>(info[3].As<Napi::Number>().Int64Value());
  if (mount(source.empty() ? nullptr : source.c_str(), target.c_str(), fstype.empty() ? nullptr : fstype.c_str(),
            flags, data.empty() ? nullptr : data.c_str()) != 0) {
    throw berth::ErrnoError(info.Env(), errno, "mount", target);
  }
  return info.Env().Undefined();
}

// umount2(target, flags)
Napi::Value Umount(const Napi::CallbackInfo& info) {
  std::string target = StrArg(info, 0);
  int flags = info.Length() > 1 ? info[1].As<Napi::Number>().Int32Value() : 0;
  if (umount2(target.c_str(), flags) != 0) throw berth::ErrnoError(info.Env(), errno, "umount2", target);
  return info.Env().Undefined();
}

// mknod(path, mode, major, minor)
Napi::Value Mknod(const Napi::CallbackInfo& info) {
  std::string path = StrArg(info, 0);
  mode_t mode = static_cast<mode_t>(info[1].As<Napi::Number>().Uint32Value());
  dev_t dev = makedev(info[2].As<Napi::Number>().Uint32Value(), info[3].As<Napi::Number>().Uint32Value());
  if (mknod(path.c_str(), mode, dev) != 0) throw berth::ErrnoError(info.Env(), errno, "mknod", path);
  return info.Env().Undefined();
}

// lgetxattr(path, name) -> Buffer | null when the attribute is absent
Napi::Value Lgetxattr(const Napi::CallbackInfo& info) {
  std::string path = StrArg(info, 0), name = StrArg(info, 1);
  for (;;) {
    ssize_t size = lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
    if (size < 0) {
      if (errno == ENODATA) return info.Env().Null();
      throw berth::ErrnoError(info.Env(), errno, "lgetxattr", path);
    }
    std::vector<char> buf(static_cast<size_t>(size));
    ssize_t got = lgetxattr(path.c_str(), name.c_str(), buf.data(), buf.size());
    if (got < 0 && errno == ERANGE) continue;  // grew in between
    if (got < 0) throw berth::ErrnoError(info.Env(), errno, "lgetxattr", path);
    return Napi::Buffer<char>::Copy(info.Env(), buf.data(), static_cast<size_t>(got));
  }
}

// lsetxattr(path, name, value: Buffer, flags)
Napi::Value Lsetxattr(const Napi::CallbackInfo& info) {
  std::string path = StrArg(info, 0), name = StrArg(info, 1);
  Napi::Buffer<char> value = info[2].As<Napi::Buffer<char>>();
  int flags = info.Length() > 3 ? info[3].As<Napi::Number>().Int32Value() : 0;
  if (lsetxattr(path.c_str(), name.c_str(), value.Data(), value.Length(), flags) != 0) {
    throw berth::ErrnoError(info.Env(), errno, "lsetxattr", path);
  }
  return info.Env().Undefined();
}

// llistxattr(path) -> string[]
Napi::Value Llistxattr(const Napi::CallbackInfo& info) {
  std::string path = StrArg(info, 0);
  for (;;) {
    ssize_t size = llistxattr(path.c_str(), nullptr, 0);
    if (size < 0) throw berth::ErrnoError(info.Env(), errno, "llistxattr", path);
    std::vector<char> buf(static_cast<size_t>(size));
    ssize_t got = size == 0 ? 0 : llistxattr(path.c_str(), buf.data(), buf.size());
    if (got < 0 && errno == ERANGE) continue;
    if (got < 0) throw berth::ErrnoError(info.Env(), errno, "llistxattr", path);
    Napi::Array names = Napi::Array::New(info.Env());
    uint32_t n = 0;
    for (ssize_t i = 0; i < got;) {
      std::string name(&buf[static_cast<size_t>(i)]);
      names.Set(n++, name);
      i += static_cast<ssize_t>(name.size()) + 1;
    }
    return names;
  }
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("mount", Napi::Function::New(env, Mount));
  exports.Set("umount", Napi::Function::New(env, Umount));
  exports.Set("mknod", Napi::Function::New(env, Mknod));
  exports.Set("lgetxattr", Napi::Function::New(env, Lgetxattr));
  exports.Set("lsetxattr", Napi::Function::New(env, Lsetxattr));
  exports.Set("llistxattr", Napi::Function::New(env, Llistxattr));
}

}  // namespace

BERTH_ADDON_MODULE(fs, Register);
