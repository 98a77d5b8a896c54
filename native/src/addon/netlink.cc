// rtnetlink link calls (bridges, veth pairs, up/down, MTU, MAC, master, rename, move to a
// network namespace, listing) and named network namespaces. Every call takes the namespace
// to act in as its first argument (see netlink_args.h); all are synchronous.
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "netlink_args.h"
#include "registry.h"

namespace berth::nl {
namespace {

void AddMac(Request& req, const std::string& mac) {
  unsigned char b[6];
  int end = 0;
  if (sscanf(mac.c_str(), "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) != 6 ||
      static_cast<size_t>(end) != mac.size() || mac.size() != 17) {
    throw Error{EINVAL, "RTM_NEWLINK", "invalid MAC address " + mac};
  }
  req.Attr(IFLA_ADDRESS, b, sizeof b);
}

// A link's attributes as JS: {index, name, kind, mtu, mac, flags, master, parent, operState}.
Napi::Object LinkToJs(Napi::Env env, const nlmsghdr* h) {
  const ifinfomsg* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", ifi->ifi_index);
  o.Set("flags", static_cast<double>(ifi->ifi_flags));
  o.Set("kind", env.Null());
  o.Set("mac", env.Null());
  o.Set("master", env.Null());
  o.Set("parent", env.Null());
  ForEachAttr(h, sizeof(ifinfomsg), [&](const rtattr* a) {
    const void* d = RTA_DATA(a);
    switch (a->rta_type) {
      case IFLA_IFNAME: o.Set("name", std::string(static_cast<const char*>(d), strnlen(static_cast<const char*>(d), RTA_PAYLOAD(a)))); break;
      case IFLA_MTU: o.Set("mtu", *static_cast<const uint32_t*>(d)); break;
      case IFLA_ADDRESS: o.Set("mac", FormatMac(static_cast<const unsigned char*>(d), RTA_PAYLOAD(a))); break;
      case IFLA_MASTER: o.Set("master", *static_cast<const uint32_t*>(d)); break;
      case IFLA_LINK: o.Set("parent", *static_cast<const uint32_t*>(d)); break;
      case IFLA_OPERSTATE: o.Set("operState", *static_cast<const uint8_t*>(d)); break;
      case IFLA_LINKINFO:
        ForEachNested(a, [&](const rtattr* n) {
          if (n->rta_type == IFLA_INFO_KIND) o.Set("kind", std::string(static_cast<const char*>(RTA_DATA(n)), strnlen(static_cast<const char*>(RTA_DATA(n)), RTA_PAYLOAD(n))));
        });
        break;
      default: break;
    }
  });
  return o;
}

// netlinkLinks(netns) -> link[]
Napi::Value Links(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    Socket sock(ns.Fd());
    Request req(RTM_GETLINK, 0);
    req.Fixed(ifinfomsg{});
    Napi::Array out = Napi::Array::New(info.Env());
    uint32_t n = 0;
    sock.Dump(req, [&](const nlmsghdr* h) {
      if (h->nlmsg_type == RTM_NEWLINK) out.Set(n++, LinkToJs(info.Env(), h));
    });
    return out;
  });
}

// netlinkAddLink(netns, {name, kind: 'bridge'|'veth', mtu?, peer?: {name, netns?}})
Napi::Value AddLink(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    Napi::Object spec = info[1].As<Napi::Object>();
    std::string name = spec.Get("name").As<Napi::String>().Utf8Value();
    std::string kind = spec.Get("kind").As<Napi::String>().Utf8Value();
    uint32_t mtu = HasField(spec, "mtu") ? spec.Get("mtu").As<Napi::Number>().Uint32Value() : 0;
    Socket sock(ns.Fd());
    Request req(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    req.Fixed(ifinfomsg{});
    req.AttrStr(IFLA_IFNAME, name);
    if (mtu != 0) req.AttrU32(IFLA_MTU, mtu);
    size_t linkinfo = req.Begin(IFLA_LINKINFO);
    req.AttrStr(IFLA_INFO_KIND, kind);
    std::string detail = name;
    bool veth = kind == "veth" && HasField(spec, "peer");
    Napi::Object peer = veth ? spec.Get("peer").As<Napi::Object>() : Napi::Object::New(info.Env());
    Netns peerNs(HasField(peer, "netns") ? peer.Get("netns") : info.Env().Null());
    if (veth) {
      std::string peerName = peer.Get("name").As<Napi::String>().Utf8Value();
      detail += ", " + peerName;
      size_t data = req.Begin(IFLA_INFO_DATA);
      size_t peerInfo = req.Begin(VETH_INFO_PEER);
      // The peer is described by a full ifinfomsg followed by its own link attributes.
      req.Fixed(ifinfomsg{});
      req.AttrStr(IFLA_IFNAME, peerName);
      if (mtu != 0) req.AttrU32(IFLA_MTU, mtu);
      if (peerNs.Given()) req.AttrU32(IFLA_NET_NS_FD, static_cast<uint32_t>(peerNs.Fd()));
      req.End(peerInfo);
      req.End(data);
    }
    req.End(linkinfo);
    sock.Call(req, detail);
    return info.Env().Undefined();
  });
}

// netlinkDelLink(netns, name)
Napi::Value DelLink(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    std::string name = StrArg(info, 1);
    Socket sock(ns.Fd());
    ifinfomsg ifi{};
    ifi.ifi_index = IfIndex(sock, name);
    Request req(RTM_DELLINK, 0);
    req.Fixed(ifi);
    sock.Call(req, name);
    return info.Env().Undefined();
  });
}

// netlinkSetLink(netns, name, {up?, mtu?, mac?, master?: string|null, name?, netns?}): one
// RTM_NEWLINK; the kernel moves the link to `netns` first, so a new `name` applies there.
Napi::Value SetLink(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    std::string name = StrArg(info, 1);
    Napi::Object changes = info[2].As<Napi::Object>();
    Socket sock(ns.Fd());
    ifinfomsg ifi{};
    ifi.ifi_index = IfIndex(sock, name);
    if (HasField(changes, "up")) {
      ifi.ifi_change = IFF_UP;
      ifi.ifi_flags = changes.Get("up").ToBoolean().Value() ? IFF_UP : 0;
    }
    Request req(RTM_NEWLINK, 0);
    req.Fixed(ifi);
    if (HasField(changes, "mtu")) req.AttrU32(IFLA_MTU, changes.Get("mtu").As<Napi::Number>().Uint32Value());
    if (HasField(changes, "mac")) AddMac(req, changes.Get("mac").As<Napi::String>().Utf8Value());
    if (HasField(changes, "master")) {
      Napi::Value master = changes.Get("master");
      // Index 0 detaches the link from its master ("nomaster").
      req.AttrU32(IFLA_MASTER, master.IsNull() ? 0 : static_cast<uint32_t>(IfIndex(sock, master.As<Napi::String>().Utf8Value())));
    }
    if (HasField(changes, "name")) req.AttrStr(IFLA_IFNAME, changes.Get("name").As<Napi::String>().Utf8Value());
    Netns target(HasField(changes, "netns") ? changes.Get("netns") : info.Env().Null());
    if (target.Given()) req.AttrU32(IFLA_NET_NS_FD, static_cast<uint32_t>(target.Fd()));
    sock.Call(req, name);
    return info.Env().Undefined();
  });
}

// netnsCreate(path): a new network namespace kept alive by a bind mount at `path` (an empty
// file created here), like `ip netns add`. It is unshared on a short-lived thread, so the
// calling thread stays in its own namespace.
Napi::Value NetnsCreate(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    std::string path = StrArg(info, 0);
    int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) throw Error{errno, "open", path};
    close(fd);
    Error failure{0, "", path};
    std::thread worker([&] {
      if (unshare(CLONE_NEWNET) != 0) {
        failure = {errno, "unshare", path};
        return;
      }
      if (mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) failure = {errno, "mount", path};
    });
    worker.join();
    if (failure.err != 0) {
      unlink(path.c_str());
      throw failure;
    }
    return info.Env().Undefined();
  });
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("netlinkLinks", Napi::Function::New(env, Links));
  exports.Set("netlinkAddLink", Napi::Function::New(env, AddLink));
  exports.Set("netlinkDelLink", Napi::Function::New(env, DelLink));
  exports.Set("netlinkSetLink", Napi::Function::New(env, SetLink));
  exports.Set("netnsCreate", Napi::Function::New(env, NetnsCreate));
}

}  // namespace
}  // namespace berth::nl

BERTH_ADDON_MODULE(netlink, berth::nl::Register);
