// N-API glue shared by the netlink calls: namespace arguments, interface lookup by name,
// address parsing/formatting, and turning berth::nl::Error into a JS errno error.
#pragma once
#include <napi.h>
#include <sys/socket.h>

#include <functional>
#include <string>

#include "netlink_socket.h"

namespace berth::nl {

// A network namespace argument: null/undefined (the caller's namespace), a number (an fd the
// caller owns) or a string (a path such as /proc/<pid>/ns/net or /run/netns/<name>, opened
// here and closed on destruction).
class Netns {
 public:
  explicit Netns(const Napi::Value& v);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;
  bool Given() const { return fd_ >= 0; }
  int Fd() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// The ifindex of `name` in the socket's namespace; ENODEV if there is none.
int IfIndex(Socket& sock, const std::string& name);

// An IPv4 or IPv6 address in network byte order.
struct IpAddr {
  int family;  // AF_INET or AF_INET6
  unsigned char bytes[16];
  size_t Len() const { return family == AF_INET ? 4 : 16; }
};
IpAddr ParseIp(const std::string& text);
std::string FormatIp(int family, const void* bytes);
std::string FormatMac(const unsigned char* bytes, size_t len);

std::string StrArg(const Napi::CallbackInfo& info, size_t i);
// Optional object fields: absent when undefined (or null, where null has no meaning).
bool HasField(const Napi::Object& o, const char* key);

// Runs `body`, converting a berth::nl::Error into the JS error berth::ErrnoError builds.
Napi::Value Guard(const Napi::CallbackInfo& info, const std::function<Napi::Value()>& body);

}  // namespace berth::nl
