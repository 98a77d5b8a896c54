// Node-API entry of the berth native addon: runs every module's registration (see registry.h).
#include <cerrno>
#include <cstring>
#include <string>

#include "registry.h"

namespace berth {

namespace {
ModuleRegistration* modules = nullptr;
// The ABI version lets the TS side check it loaded the addon it was built with.
constexpr int kAbiVersion = 2;
}  // namespace

ModuleRegistration::ModuleRegistration(const char* n, ModuleInit i) : name(n), init(i), next(modules) {
  modules = this;
}

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& detail) {
  const char* code = strerrorname_np(err);
  std::string message = std::string(code ? code : "E?") + ": " + strerror(err) + ", " + syscall;
  if (!detail.empty()) message += " '" + detail + "'";
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code ? code : "UNKNOWN"));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), kAbiVersion);
  }));
  for (ModuleRegistration* m = modules; m != nullptr; m = m->next) m->init(env, exports);
  return exports;
}

}  // namespace berth

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return berth::InitAddon(env, exports); }

NODE_API_MODULE(berth, Init)
