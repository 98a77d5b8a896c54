// cgroup v2 device filtering: v2 has no devices.allow/deny; a BPF_PROG_TYPE_CGROUP_DEVICE
// program attached to the container's cgroup decides each open and mknod (as runc does).
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "registry.h"

namespace {

long Bpf(int cmd, union bpf_attr* attr) { return syscall(SYS_bpf, cmd, attr, sizeof *attr); }

// attachDeviceFilter(cgroupDir, insns: Buffer of struct bpf_insn): loads the program and attaches
// it to the cgroup (BPF_F_ALLOW_MULTI, as runc); it stays while the cgroup exists.
Napi::Value AttachDeviceFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir = info[0].As<Napi::String>().Utf8Value();
  Napi::Buffer<uint8_t> insns = info[1].As<Napi::Buffer<uint8_t>>();
  if (insns.Length() == 0 || insns.Length() % sizeof(struct bpf_insn) != 0) {
    throw Napi::TypeError::New(env, "attachDeviceFilter: the program must be whole bpf_insn records");
  }
  static const char license[] = "Apache";
  std::vector<char> log(64 * 1024);
  union bpf_attr load;
  memset(&load, 0, sizeof load);
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(insns.Data());
  load.insn_cnt = static_cast<uint32_t>(insns.Length() / sizeof(struct bpf_insn));
  load.license = reinterpret_cast<uint64_t>(license);
  load.log_buf = reinterpret_cast<uint64_t>(log.data());
  load.log_size = static_cast<uint32_t>(log.size());
  load.log_level = 1;
  int prog = static_cast<int>(Bpf(BPF_PROG_LOAD, &load));
  if (prog < 0) throw berth::ErrnoError(env, errno, "bpf(BPF_PROG_LOAD)", std::string(log.data()));
  int cg = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) {
    int err = errno;
    close(prog);
    throw berth::ErrnoError(env, err, "open", dir);
  }
  union bpf_attr attach;
  memset(&attach, 0, sizeof attach);
  attach.target_fd = static_cast<uint32_t>(cg);
  attach.attach_bpf_fd = static_cast<uint32_t>(prog);
  attach.attach_type = BPF_CGROUP_DEVICE;
  attach.attach_flags = BPF_F_ALLOW_MULTI;
  long rc = Bpf(BPF_PROG_ATTACH, &attach);
  int err = errno;
  close(cg);
  close(prog);
  if (rc != 0) throw berth::ErrnoError(env, err, "bpf(BPF_PROG_ATTACH)", dir);
  return env.Undefined();
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("attachDeviceFilter", Napi::Function::New(env, AttachDeviceFilter));
}

}  // namespace

BERTH_ADDON_MODULE(bpf, Register);
