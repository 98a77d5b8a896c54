// rtnetlink plumbing shared by the netlink calls: request building, namespace-bound sockets,
// acknowledgements with extended ack messages, and multi-part dumps.
#include "netlink_socket.h"

#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace berth::nl {

namespace {

// A stuck kernel answer must not hang the Node main thread forever.
constexpr int kReceiveTimeoutSeconds = 10;

int OpenRouteSocket() {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  int one = 1;
  // Ask for the kernel's textual reason ("Invalid prefix for given prefix length") on errors.
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  timeval tv{kReceiveTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  return fd;
}

// The network namespace is per thread: a socket keeps the namespace it was created in, so
// a thread that joins the namespace, opens the socket and exits is all it takes.
int OpenRouteSocketIn(int netnsFd) {
  int result = 0;
  std::thread worker([&] {
    if (setns(netnsFd, CLONE_NEWNET) != 0) {
      result = -errno;
      return;
    }
    result = OpenRouteSocket();
  });
  worker.join();
  return result;
}

}  // namespace

Request::Request(uint16_t type, uint16_t flags) : buf_(NLMSG_HDRLEN, 0), type_(type) {
  nlmsghdr* h = Message();
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | flags;
}

nlmsghdr* Request::Message() {
  nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf_.data());
  h->nlmsg_len = static_cast<uint32_t>(buf_.size());
  return h;
}

void Request::Append(const void* data, size_t len) {
  size_t at = buf_.size();
  buf_.resize(at + NLMSG_ALIGN(len), 0);
  if (data != nullptr && len > 0) memcpy(buf_.data() + at, data, len);
}

void Request::Raw(const void* data, size_t len) { Append(data, len); }

void Request::Attr(uint16_t type, const void* data, size_t len) {
  rtattr a{};
  a.rta_type = type;
  a.rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
  Append(&a, sizeof a);  // sizeof(rtattr) is already aligned (RTA_LENGTH(0) == 4)
  Append(data, len);
}

size_t Request::Begin(uint16_t type) {
  size_t at = buf_.size();
  rtattr a{};
  a.rta_type = type | NLA_F_NESTED;
  Append(&a, sizeof a);
  return at;
}

void Request::End(size_t offset) {
  rtattr* a = reinterpret_cast<rtattr*>(buf_.data() + offset);
  a->rta_len = static_cast<unsigned short>(buf_.size() - offset);
}

Socket::Socket(int netnsFd) : fd_(-1), seq_(0) {
  int fd = netnsFd >= 0 ? OpenRouteSocketIn(netnsFd) : OpenRouteSocket();
  if (fd < 0) throw Error{-fd, netnsFd >= 0 ? "setns" : "socket", ""};
  fd_ = fd;
}

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

void Socket::Send(Request& req) {
  nlmsghdr* h = req.Message();
  h->nlmsg_seq = ++seq_;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = sendto(fd_, h, h->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw Error{errno, "sendto", TypeName(req.Type())};
}

std::vector<char> Socket::Receive() {
  for (;;) {
    // Peek at the datagram's full size first so a large dump part is never truncated.
    ssize_t size = recv(fd_, nullptr, 0, MSG_PEEK | MSG_TRUNC);
    if (size < 0 && errno == EINTR) continue;
    if (size < 0) throw Error{errno, "recv", "netlink"};
    std::vector<char> buf(static_cast<size_t>(size));
    ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error{errno, "recv", "netlink"};
    buf.resize(static_cast<size_t>(n));
    return buf;
  }
}

namespace {

// The extended ack message (NLMSGERR_ATTR_MSG) following an error, if the kernel sent one.
std::string ExtAckMessage(const nlmsghdr* h) {
  if ((h->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return "";
  const nlmsgerr* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
  // The error echoes the request's header, or the whole request unless NLM_F_CAPPED.
  size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if ((h->nlmsg_flags & NLM_F_CAPPED) == 0) offset += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
  if (offset > h->nlmsg_len) return "";
  std::string msg;
  const rtattr* a = reinterpret_cast<const rtattr*>(reinterpret_cast<const char*>(h) + offset);
  int len = static_cast<int>(h->nlmsg_len - offset);
  for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == NLMSGERR_ATTR_MSG) msg.assign(static_cast<const char*>(RTA_DATA(a)), strnlen(static_cast<const char*>(RTA_DATA(a)), RTA_PAYLOAD(a)));
  }
  return msg;
}

std::string JoinDetail(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + ": " + b;
}

}  // namespace

void Socket::Call(Request& req, const std::string& detail) {
  req.Message()->nlmsg_flags |= NLM_F_ACK;
  Send(req);
  for (;;) {
    std::vector<char> buf = Receive();
    int len = static_cast<int>(buf.size());
    for (const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq_ || h->nlmsg_type != NLMSG_ERROR) continue;
      const nlmsgerr* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (e->error == 0) return;
      throw Error{-e->error, TypeName(req.Type()), JoinDetail(detail, ExtAckMessage(h))};
    }
  }
}

std::vector<char> Socket::Get(Request& req, const std::string& detail) {
  Send(req);
  for (;;) {
    std::vector<char> buf = Receive();
    int len = static_cast<int>(buf.size());
    for (const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq_) continue;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const nlmsgerr* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        throw Error{-e->error, TypeName(req.Type()), JoinDetail(detail, ExtAckMessage(h))};
      }
      const char* at = reinterpret_cast<const char*>(h);
      return std::vector<char>(at, at + h->nlmsg_len);
    }
  }
}

void Socket::Dump(Request& req, const std::function<void(const nlmsghdr*)>& each) {
  req.Message()->nlmsg_flags |= NLM_F_DUMP;
  Send(req);
  for (;;) {
    std::vector<char> buf = Receive();
    int len = static_cast<int>(buf.size());
    for (const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq_) continue;
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const nlmsgerr* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        throw Error{-e->error, TypeName(req.Type()), ExtAckMessage(h)};
      }
      each(h);
    }
  }
}

void ForEachAttr(const nlmsghdr* msg, size_t headerLen, const std::function<void(const rtattr*)>& each) {
  const char* base = static_cast<const char*>(NLMSG_DATA(msg)) + NLMSG_ALIGN(headerLen);
  int len = static_cast<int>(msg->nlmsg_len) - static_cast<int>(NLMSG_LENGTH(NLMSG_ALIGN(headerLen)));
  for (const rtattr* a = reinterpret_cast<const rtattr*>(base); RTA_OK(a, len); a = RTA_NEXT(a, len)) each(a);
}

void ForEachNested(const rtattr* attr, const std::function<void(const rtattr*)>& each) {
  int len = static_cast<int>(RTA_PAYLOAD(attr));
  for (const rtattr* a = static_cast<const rtattr*>(RTA_DATA(attr)); RTA_OK(a, len); a = RTA_NEXT(a, len)) each(a);
}

const char* TypeName(uint16_t type) {
  switch (type) {
    case RTM_NEWLINK: return "RTM_NEWLINK";
    case RTM_DELLINK: return "RTM_DELLINK";
    case RTM_GETLINK: return "RTM_GETLINK";
    case RTM_NEWADDR: return "RTM_NEWADDR";
    case RTM_DELADDR: return "RTM_DELADDR";
    case RTM_GETADDR: return "RTM_GETADDR";
    case RTM_NEWROUTE: return "RTM_NEWROUTE";
    case RTM_DELROUTE: return "RTM_DELROUTE";
    case RTM_GETROUTE: return "RTM_GETROUTE";
    default: return "netlink";
  }
}

}  // namespace berth::nl
