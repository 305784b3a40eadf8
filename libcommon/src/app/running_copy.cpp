#include "kt/app/running_copy.hpp"

#include <httplib.h>

#include <cstdio>

#include "kt/app/http_service.hpp"
#include "kt/kafka/groups.hpp"

namespace kt {

std::string StatePath(const std::string& key) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "/state/";
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Status PrintCopyAnswer(const CopyAnswer& answer, const std::string& not_found) {
  if (answer.status != 200) return Status::NotFound(not_found);
  std::fputs(answer.body.c_str(), stdout);
  return Status::Ok();
}

Result<std::optional<CopyAnswer>> AskRunningCopy(const KafkaConfig& cfg, const std::string& tool,
                                                 const std::string& group, const std::string& store,
                                                 const std::string& path) {
  for (const std::string& g : {group, group + "-" + store}) {
    auto d = DescribeGroup(cfg, tool, g);
    if (!d.ok() && d.status().IsUnavailable()) return d.status();
    if (!d.ok() || !d->known) continue;
    for (const GroupMember& m : d->member_list) {
      std::string addr = AdvertisedAddress(m.client_id);
      if (addr.empty()) continue;
      httplib::Client cli("http://" + addr);
      cli.set_connection_timeout(1, 0);
      cli.set_read_timeout(6, 0);
      auto r = cli.Get(path.c_str());
      if (!r || (r->status != 200 && r->status != 404)) continue;  // restoring, gone: the next one
      return std::optional<CopyAnswer>(CopyAnswer{r->status, r->body, addr});
    }
  }
  return std::optional<CopyAnswer>();
}

}  // namespace kt
