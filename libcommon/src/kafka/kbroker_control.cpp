#include "kt/kafka/kbroker_control.hpp"

#include <httplib.h>

#include <cstdlib>
#include <fstream>

#include "kt/core/strings.hpp"

namespace kt {

std::string KbrokerControlFile(int port) {
  const char* dir = std::getenv("XDG_RUNTIME_DIR");
  if (!dir || !*dir) dir = std::getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  return std::string(dir) + "/ktools-kbroker-" + std::to_string(port);
}

namespace {

// The control URL of the first kbroker `brokers` names, or "".
std::string ControlUrl(const std::string& brokers) {
  for (const std::string& b : Split(brokers, ',')) {
    size_t colon = b.rfind(':');
    int64_t port = 0;
    if (colon == std::string::npos || !ParseInt64(b.substr(colon + 1), &port)) continue;
    std::ifstream f(KbrokerControlFile(static_cast<int>(port)));
    std::string url;
    if (f >> url) return url;
  }
  return "";
}

}  // namespace

std::string KbrokerRegistryUrl(const std::string& brokers) {
  std::string url = ControlUrl(brokers);
  return url.empty() ? "" : url + "/registry";
}

Status KbrokerCreateTopic(const std::string& brokers, const std::string& topic, int partitions) {
  std::string url = ControlUrl(brokers);
  if (!url.empty()) {
    httplib::Client client(url);
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
    // No count given: the broker's default, which for the mock cluster is 4 (as on first use).
    httplib::Params params{{"name", topic}, {"partitions", std::to_string(partitions > 0 ? partitions : 4)}};
    auto res = client.Post("/topics", params);
    if (!res)
      return Status::KafkaError("creating topic '" + topic + "' through kbroker at " + url + ": " +
                                httplib::to_string(res.error()));
    if (res->status != 200)
      return Status::KafkaError("creating topic '" + topic + "' through kbroker: " + res->body);
    return Status::Ok();
  }
  return Status::NotFound("no kbroker control file for " + brokers);
}

}  // namespace kt
