#include "netlink_args.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "registry.h"

namespace berth::nl {

Netns::Netns(const Napi::Value& v) : fd_(-1), owned_(false) {
  if (v.IsNumber()) {
    fd_ = v.As<Napi::Number>().Int32Value();
  } else if (v.IsString()) {
    std::string path = v.As<Napi::String>().Utf8Value();
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error{errno, "open", path};
    owned_ = true;
  }
}

Netns::~Netns() {
  if (owned_) close(fd_);
}

int IfIndex(Socket& sock, const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ) throw Error{EINVAL, "RTM_GETLINK", "invalid interface name " + name};
  Request req(RTM_GETLINK, 0);
  req.Fixed(ifinfomsg{});
  req.AttrStr(IFLA_IFNAME, name);
  std::vector<char> reply = sock.Get(req, name);
  const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(reply.data());
  return static_cast<const ifinfomsg*>(NLMSG_DATA(h))->ifi_index;
}

IpAddr ParseIp(const std::string& text) {
  IpAddr a{};
  a.family = text.find(':') == std::string::npos ? AF_INET : AF_INET6;
  if (inet_pton(a.family, text.c_str(), a.bytes) != 1) throw Error{EINVAL, "inet_pton", text};
  return a;
}

std::string FormatIp(int family, const void* bytes) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(family, bytes, buf, sizeof buf) == nullptr) return "";
  return buf;
}

std::string FormatMac(const unsigned char* bytes, size_t len) {
  std::string out;
  char part[4];
  for (size_t i = 0; i < len; i++) {
    snprintf(part, sizeof part, i == 0 ? "%02x" : ":%02x", bytes[i]);
    out += part;
  }
  return out;
}

std::string StrArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || !info[i].IsString()) return "";
  return info[i].As<Napi::String>().Utf8Value();
}

bool HasField(const Napi::Object& o, const char* key) {
  if (!o.Has(key)) return false;
  Napi::Value v = o.Get(key);
  return !v.IsUndefined();
}

Napi::Value Guard(const Napi::CallbackInfo& info, const std::function<Napi::Value()>& body) {
  try {
    return body();
  } catch (const Error& e) {
    throw berth::ErrnoError(info.Env(), e.err, e.op.c_str(), e.detail);
  }
}

}  // namespace berth::nl
