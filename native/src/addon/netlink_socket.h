// A minimal rtnetlink client: build requests with nested attributes, send them on a
// NETLINK_ROUTE socket (optionally opened inside another network namespace) and read the
// acknowledgement or the dump. Failures are thrown as berth::nl::Error.
#pragma once
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace berth::nl {

// An errno with the operation that failed and a detail (the kernel's extended ack message,
// or the interface name) for the JS error.
struct Error {
  int err;
  std::string op;
  std::string detail;
};

// A request: the netlink header, a fixed family header (ifinfomsg, ifaddrmsg, rtmsg) and
// attributes. Nested attributes are opened with Begin() and closed with End().
class Request {
 public:
  Request(uint16_t type, uint16_t flags);

  // Appends a fixed header (ifinfomsg, ifaddrmsg, rtmsg), also used for the veth peer's
  // ifinfomsg in the middle of the attributes.
  template <typename T>
  void Fixed(const T& h) {
    Raw(&h, sizeof h);
  }
  void Raw(const void* data, size_t len);
  void Attr(uint16_t type, const void* data, size_t len);
  void AttrU32(uint16_t type, uint32_t v) { Attr(type, &v, sizeof v); }
  void AttrS32(uint16_t type, int32_t v) { Attr(type, &v, sizeof v); }
  void AttrStr(uint16_t type, const std::string& s) { Attr(type, s.c_str(), s.size() + 1); }
  size_t Begin(uint16_t type);
  void End(size_t offset);

  nlmsghdr* Message();
  uint16_t Type() const { return type_; }

 private:
  void Append(const void* data, size_t len);
  std::vector<char> buf_;
  uint16_t type_;
};

// A NETLINK_ROUTE socket. With a namespace fd (>= 0) the socket is created on a short-lived
// thread that setns()es into it first, so it operates in that namespace while the calling
// thread never changes namespace.
class Socket {
 public:
  explicit Socket(int netnsFd = -1);
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Sends a request that expects an acknowledgement; throws the kernel's error, if any.
  void Call(Request& req, const std::string& detail = "");
  // Sends a get request answered by one message (RTM_GETLINK by name) and returns it.
  std::vector<char> Get(Request& req, const std::string& detail = "");
  // Sends a dump request and calls `each` for every answer message.
  void Dump(Request& req, const std::function<void(const nlmsghdr*)>& each);

 private:
  void Send(Request& req);
  std::vector<char> Receive();
  int fd_;
  uint32_t seq_;
};

// Walks the attributes that follow a fixed header of `headerLen` bytes in `msg`.
void ForEachAttr(const nlmsghdr* msg, size_t headerLen, const std::function<void(const rtattr*)>& each);
// Walks the attributes nested in `attr`.
void ForEachNested(const rtattr* attr, const std::function<void(const rtattr*)>& each);

// The name of a request type for error messages ("RTM_NEWLINK").
const char* TypeName(uint16_t type);

}  // namespace berth::nl
