// Each addon module registers its functions with a static BERTH_ADDON_MODULE(name, fn), so
// modules are added as files without editing a shared list.
#pragma once
#include <napi.h>

namespace berth {

using ModuleInit = void (*)(Napi::Env env, Napi::Object exports);

struct ModuleRegistration {
  const char* name;
  ModuleInit init;
  ModuleRegistration* next;
  ModuleRegistration(const char* n, ModuleInit i);
};

// Throws a JS Error carrying `code` (the errno name), `errno` and `syscall`, like Node's fs errors.
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& detail = "");

}  // namespace berth

#define BERTH_ADDON_MODULE(name, fn) \
  static ::berth::ModuleRegistration berth_module_##name(#name, fn)
