// SharedAdmin: one admin connection per configuration for the whole process, reached again on
// every use, so that a broker gone since is reported as before (not a request timing out).
#include <catch2/catch.hpp>
#include <string>

#include "kt/kafka/admin.hpp"
#include "kt/kafka/client.hpp"
#include "mock_cluster.hpp"

namespace {

kt::KafkaConfig ConfigOf(const std::string& brokers, kt::Properties props = {}) {
  kt::KafkaConfig cfg;
  cfg.brokers = brokers;
  cfg.brokers_origin = "-b";
  cfg.properties = std::move(props);
  cfg.properties.emplace_back("log_level", "0");
  return cfg;
}

// The shared client, which must connect.
kt::KafkaClient* Shared(const kt::KafkaConfig& cfg, const std::string& tool) {
  auto c = kt::SharedAdmin(cfg, tool);
  REQUIRE(c.ok());
  return *c;
}

// The partition count of `topic` as the admin requests see it, which must be answered.
int Partitions(const kt::KafkaConfig& cfg, const std::string& topic) {
  auto n = kt::PartitionCount(cfg, topic, "ktest");
  REQUIRE(n.ok());
  return *n;
}

// A mock broker with topic "t" of `partitions`, and a configuration for it.
struct Broker {
  kt::test::MockCluster mock;
  kt::KafkaConfig cfg;
  explicit Broker(int partitions) {
    REQUIRE(mock.cluster);
    rd_kafka_mock_topic_create(mock.cluster, "t", partitions, 1);
    cfg = ConfigOf(mock.brokers());
  }
};

}  // namespace

TEST_CASE("SharedAdmin keeps one client per configuration and tool") {
  Broker b(3);
  kt::KafkaClient* a = Shared(b.cfg, "ktest");
  CHECK(Shared(b.cfg, "ktest") == a);
  CHECK(Shared(b.cfg, "kother") != a);  // another client.id
  CHECK(Shared(ConfigOf(b.mock.brokers(), {{"socket.timeout.ms", "30000"}}), "ktest") != a);
  // The admin requests go through it, answered as by a client of their own.
  CHECK(Partitions(b.cfg, "t") == 3);
  CHECK(Partitions(b.cfg, "missing") == 0);
}

// A property of a client's configuration as librdkafka holds it.
static std::string PropertyOf(kt::KafkaClient* c, const char* name) {
  char value[64];
  size_t size = sizeof value;
  REQUIRE(rd_kafka_conf_get(rd_kafka_conf(c->get()), name, value, &size) == RD_KAFKA_CONF_OK);
  return value;
}

TEST_CASE("SharedAdmin retries a lost connection at least every second, unless told otherwise") {
  Broker b(1);
  CHECK(PropertyOf(Shared(b.cfg, "ktest"), "reconnect.backoff.max.ms") == "1000");
  auto own = ConfigOf(b.mock.brokers(), {{"reconnect.backoff.max.ms", "5000"}});
  CHECK(PropertyOf(Shared(own, "ktest"), "reconnect.backoff.max.ms") == "5000");
}

TEST_CASE("SharedAdmin reports a broker gone since its last use, and reconnects when it is back") {
  Broker b(2);
  // Down for 5 s (the reach timeout): librdkafka's reconnect backoff would have grown to
  // seconds by then; the shared client's is at most 1 s, so it is back within the next use.
  kt::KafkaClient* first = Shared(b.cfg, "ktest");

  REQUIRE(rd_kafka_mock_broker_set_down(b.mock.cluster, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  auto down = kt::PartitionCount(b.cfg, "t", "ktest");
  REQUIRE_FALSE(down.ok());
  CHECK_THAT(down.status().message(), Catch::Contains("cannot reach Kafka at " + b.mock.brokers()));

  REQUIRE(rd_kafka_mock_broker_set_up(b.mock.cluster, 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(Shared(b.cfg, "ktest") == first);  // the same client, connected again
  CHECK(Partitions(b.cfg, "t") == 2);
}
