// Process-level calls used by tests and the engine.
#include <unistd.h>

#include "registry.h"

namespace {

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("getpid", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(getpid()));
  }));
}

}  // namespace

BERTH_ADDON_MODULE(process, Register);
