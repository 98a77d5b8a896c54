// rtnetlink address and route calls: add/delete/list IPv4 and IPv6 addresses of a link, and
// add/delete/list routes. The first argument of each is the namespace to act in.
#include <linux/if_addr.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "netlink_args.h"
#include "registry.h"

namespace berth::nl {
namespace {

// The broadcast address of an IPv4 prefix, which the kernel does not derive by itself
// (`ip addr add ... brd +`; Docker's bridge gets one too).
void AddBroadcast(Request& req, const IpAddr& ip, unsigned prefixLen) {
  if (ip.family != AF_INET || prefixLen >= 31) return;
  unsigned char brd[4];
  uint32_t host = prefixLen == 0 ? 0xffffffffu : (0xffffffffu >> prefixLen);
  for (int i = 0; i < 4; i++) brd[i] = ip.bytes[i] | static_cast<unsigned char>(host >> (24 - 8 * i));
  req.Attr(IFA_BROADCAST, brd, sizeof brd);
}

// netlinkAddAddr / netlinkDelAddr(netns, link, address, prefixLen, {nodad?})
Napi::Value ChangeAddr(const Napi::CallbackInfo& info, uint16_t type) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    std::string link = StrArg(info, 1), address = StrArg(info, 2);
    unsigned prefixLen = info[3].As<Napi::Number>().Uint32Value();
    bool nodad = info.Length() > 4 && info[4].IsObject() && info[4].As<Napi::Object>().Get("nodad").ToBoolean().Value();
    IpAddr ip = ParseIp(address);
    if (prefixLen > ip.Len() * 8) throw Error{EINVAL, TypeName(type), "invalid prefix length " + std::to_string(prefixLen)};
    Socket sock(ns.Fd());
    ifaddrmsg ifa{};
    ifa.ifa_family = static_cast<unsigned char>(ip.family);
    ifa.ifa_prefixlen = static_cast<unsigned char>(prefixLen);
    ifa.ifa_index = static_cast<uint32_t>(IfIndex(sock, link));
    Request req(type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
    req.Fixed(ifa);
    req.Attr(IFA_LOCAL, ip.bytes, ip.Len());
    req.Attr(IFA_ADDRESS, ip.bytes, ip.Len());
    if (type == RTM_NEWADDR) {
      AddBroadcast(req, ip, prefixLen);
      if (nodad) req.AttrU32(IFA_FLAGS, IFA_F_NODAD);
    }
    sock.Call(req, link + " " + address + "/" + std::to_string(prefixLen));
    return info.Env().Undefined();
  });
}

Napi::Value AddAddr(const Napi::CallbackInfo& info) { return ChangeAddr(info, RTM_NEWADDR); }
Napi::Value DelAddr(const Napi::CallbackInfo& info) { return ChangeAddr(info, RTM_DELADDR); }

std::string AttrString(const rtattr* a) {
  return std::string(static_cast<const char*>(RTA_DATA(a)), strnlen(static_cast<const char*>(RTA_DATA(a)), RTA_PAYLOAD(a)));
}

// netlinkAddrs(netns) -> [{index, family, address, prefixLen, scope, flags, label, broadcast}]
Napi::Value Addrs(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    Socket sock(ns.Fd());
    Request req(RTM_GETADDR, 0);
    req.Fixed(ifaddrmsg{});
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env);
    uint32_t n = 0;
    sock.Dump(req, [&](const nlmsghdr* h) {
      if (h->nlmsg_type != RTM_NEWADDR) return;
      const ifaddrmsg* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
      Napi::Object o = Napi::Object::New(env);
      o.Set("index", ifa->ifa_index);
      o.Set("family", ifa->ifa_family == AF_INET ? 4 : 6);
      o.Set("prefixLen", ifa->ifa_prefixlen);
      o.Set("scope", ifa->ifa_scope);
      o.Set("flags", ifa->ifa_flags);
      o.Set("label", env.Null());
      o.Set("broadcast", env.Null());
      std::string local, address;
      ForEachAttr(h, sizeof(ifaddrmsg), [&](const rtattr* a) {
        switch (a->rta_type) {
          case IFA_LOCAL: local = FormatIp(ifa->ifa_family, RTA_DATA(a)); break;
          case IFA_ADDRESS: address = FormatIp(ifa->ifa_family, RTA_DATA(a)); break;
          case IFA_BROADCAST: o.Set("broadcast", FormatIp(ifa->ifa_family, RTA_DATA(a))); break;
          case IFA_LABEL: o.Set("label", AttrString(a)); break;
          case IFA_FLAGS: o.Set("flags", *static_cast<const uint32_t*>(RTA_DATA(a))); break;
          default: break;
        }
      });
      // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
      o.Set("address", local.empty() ? address : local);
      out.Set(n++, o);
    });
    return out;
  });
}

// Fills an rtmsg and its attributes from {dst: string|null, dstLen, gateway?, link?, metric?,
// scope?, table?, source?, family?}; the family comes from dst or gateway, else `family`.
void BuildRoute(Socket& sock, Request& req, const Napi::Object& r, bool add) {
  rtmsg rtm{};
  rtm.rtm_protocol = add ? RTPROT_BOOT : 0;
  rtm.rtm_type = RTN_UNICAST;
  bool hasDst = HasField(r, "dst") && !r.Get("dst").IsNull();
  bool hasGw = HasField(r, "gateway") && !r.Get("gateway").IsNull();
  IpAddr dst{}, gw{};
  if (hasDst) dst = ParseIp(r.Get("dst").As<Napi::String>().Utf8Value());
  if (hasGw) gw = ParseIp(r.Get("gateway").As<Napi::String>().Utf8Value());
  bool v6 = HasField(r, "family") && r.Get("family").As<Napi::Number>().Int32Value() == 6;
  rtm.rtm_family = static_cast<unsigned char>(hasDst ? dst.family : hasGw ? gw.family : v6 ? AF_INET6 : AF_INET);
  if (hasDst && hasGw && dst.family != gw.family) throw Error{EINVAL, TypeName(req.Type()), "gateway and destination families differ"};
  rtm.rtm_dst_len = static_cast<unsigned char>(hasDst ? r.Get("dstLen").As<Napi::Number>().Uint32Value() : 0);
  // Without a gateway the destination is on-link; a delete matches routes of any scope.
  rtm.rtm_scope = add ? (hasGw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK) : RT_SCOPE_NOWHERE;
  if (HasField(r, "scope")) rtm.rtm_scope = static_cast<unsigned char>(r.Get("scope").As<Napi::Number>().Uint32Value());
  uint32_t table = HasField(r, "table") ? r.Get("table").As<Napi::Number>().Uint32Value() : RT_TABLE_MAIN;
  rtm.rtm_table = static_cast<unsigned char>(table < 256 ? table : RT_TABLE_UNSPEC);
  req.Fixed(rtm);
  if (table >= 256) req.AttrU32(RTA_TABLE, table);
  if (hasDst) req.Attr(RTA_DST, dst.bytes, dst.Len());
  if (hasGw) req.Attr(RTA_GATEWAY, gw.bytes, gw.Len());
  if (HasField(r, "link")) req.AttrU32(RTA_OIF, static_cast<uint32_t>(IfIndex(sock, r.Get("link").As<Napi::String>().Utf8Value())));
  if (HasField(r, "metric")) req.AttrU32(RTA_PRIORITY, r.Get("metric").As<Napi::Number>().Uint32Value());
  if (HasField(r, "source")) {
    IpAddr src = ParseIp(r.Get("source").As<Napi::String>().Utf8Value());
    req.Attr(RTA_PREFSRC, src.bytes, src.Len());
  }
}

std::string RouteDetail(const Napi::Object& r) {
  if (!HasField(r, "dst") || r.Get("dst").IsNull()) return "default";
  return r.Get("dst").As<Napi::String>().Utf8Value() + "/" + std::to_string(r.Get("dstLen").As<Napi::Number>().Uint32Value());
}

// netlinkAddRoute / netlinkDelRoute(netns, route)
Napi::Value ChangeRoute(const Napi::CallbackInfo& info, uint16_t type) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    Napi::Object route = info[1].As<Napi::Object>();
    Socket sock(ns.Fd());
    Request req(type, type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
    BuildRoute(sock, req, route, type == RTM_NEWROUTE);
    sock.Call(req, RouteDetail(route));
    return info.Env().Undefined();
  });
}

Napi::Value AddRoute(const Napi::CallbackInfo& info) { return ChangeRoute(info, RTM_NEWROUTE); }
Napi::Value DelRoute(const Napi::CallbackInfo& info) { return ChangeRoute(info, RTM_DELROUTE); }

// netlinkRoutes(netns, family: 4|6) -> [{family, dst, dstLen, gateway, link, table, protocol,
// scope, type, metric, source}] with `link` an ifindex.
Napi::Value Routes(const Napi::CallbackInfo& info) {
  return Guard(info, [&]() -> Napi::Value {
    Netns ns(info[0]);
    int family = info[1].As<Napi::Number>().Int32Value() == 6 ? AF_INET6 : AF_INET;
    Socket sock(ns.Fd());
    Request req(RTM_GETROUTE, 0);
    rtmsg filter{};
    filter.rtm_family = static_cast<unsigned char>(family);
    req.Fixed(filter);
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env);
    uint32_t n = 0;
    sock.Dump(req, [&](const nlmsghdr* h) {
      const rtmsg* rtm = static_cast<const rtmsg*>(NLMSG_DATA(h));
      if (h->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != family) return;
      Napi::Object o = Napi::Object::New(env);
      o.Set("family", family == AF_INET ? 4 : 6);
      o.Set("dstLen", rtm->rtm_dst_len);
      o.Set("table", rtm->rtm_table);
      o.Set("protocol", rtm->rtm_protocol);
      o.Set("scope", rtm->rtm_scope);
      o.Set("type", rtm->rtm_type);
      for (const char* k : {"dst", "gateway", "link", "metric", "source"}) o.Set(k, env.Null());
      ForEachAttr(h, sizeof(rtmsg), [&](const rtattr* a) {
        switch (a->rta_type) {
          case RTA_DST: o.Set("dst", FormatIp(family, RTA_DATA(a))); break;
          case RTA_GATEWAY: o.Set("gateway", FormatIp(family, RTA_DATA(a))); break;
          case RTA_PREFSRC: o.Set("source", FormatIp(family, RTA_DATA(a))); break;
          case RTA_OIF: o.Set("link", *static_cast<const uint32_t*>(RTA_DATA(a))); break;
          case RTA_PRIORITY: o.Set("metric", *static_cast<const uint32_t*>(RTA_DATA(a))); break;
          case RTA_TABLE: o.Set("table", *static_cast<const uint32_t*>(RTA_DATA(a))); break;
          default: break;
        }
      });
      out.Set(n++, o);
    });
    return out;
  });
}

void Register(Napi::Env env, Napi::Object exports) {
  exports.Set("netlinkAddrs", Napi::Function::New(env, Addrs));
  exports.Set("netlinkAddAddr", Napi::Function::New(env, AddAddr));
  exports.Set("netlinkDelAddr", Napi::Function::New(env, DelAddr));
  exports.Set("netlinkRoutes", Napi::Function::New(env, Routes));
  exports.Set("netlinkAddRoute", Napi::Function::New(env, AddRoute));
  exports.Set("netlinkDelRoute", Napi::Function::New(env, DelRoute));
}

}  // namespace
}  // namespace berth::nl

BERTH_ADDON_MODULE(netlink_addr, berth::nl::Register);
