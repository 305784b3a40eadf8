#include <map>
#include <memory>
#include <mutex>

#include "admin_request.hpp"

namespace kt {

namespace {

// Everything that tells one admin client from another: the tool (its client.id) and the whole
// configuration (brokers, and every property in the order given: later ones win).
std::string AdminKey(const KafkaConfig& cfg, const std::string& tool) {
  std::string key = tool + '\0' + cfg.brokers;
  for (const auto& [name, value] : cfg.properties) key += '\0' + name + '=' + value;
  return key;
}

}  // namespace

Result<KafkaClient*> SharedAdmin(const KafkaConfig& cfg, const std::string& tool) {
  // Destroyed at exit, after main returns (every tool thread joined by then).
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<KafkaClient>> clients;
  std::lock_guard<std::mutex> lock(mu);  // also makes concurrent first uses wait for one connect
  std::string key = AdminKey(cfg, tool);
  // Reached again on every use (one metadata round trip on the open connection), so that a
  // broker gone since is reported as at a first contact: "cannot reach Kafka" after
  // kReachTimeoutMs (Unavailable to the callers that tell it apart), not a request's timeout.
  if (auto it = clients.find(key); it != clients.end()) {
    it->second->DropStaleErrors();
    if (Status s = FetchMetadata(it->second->get(), cfg, "", nullptr); !s.ok()) return s;
    return it->second.get();
  }
  auto client = std::make_unique<KafkaClient>(cfg, tool, false);
  // Used now and then, not kept busy: after an outage librdkafka's reconnect backoff would have
  // grown to seconds (10 at most), longer than the reach timeout of the first use after the
  // broker is back, which would then say "cannot reach Kafka" of a broker that is up. At most
  // 1 s between attempts instead (a -X reconnect.backoff.max.ms given by the user wins).
  Properties defaults{{"reconnect.backoff.max.ms", "1000"}};
  // It looks a topic up by its name alone (FetchMetadata), which must not create it.
  Properties forced{{"allow.auto.create.topics", "false"}};
  if (Status s = client->Create(RD_KAFKA_PRODUCER, "admin client", defaults, forced); !s.ok()) return s;
  if (Status s = FetchMetadata(client->get(), cfg, "", nullptr); !s.ok()) return s;
  KafkaClient* out = client.get();
  clients.emplace(std::move(key), std::move(client));
  return out;
}

}  // namespace kt
