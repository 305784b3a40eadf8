// kbroker's control channel. librdkafka's mock cluster, which kbroker runs, answers no admin
// request (CreateTopics, DescribeConfigs, DeleteTopics, ListGroups, ...), but its C API can
// create topics. So kbroker serves that over HTTP on loopback and names the address in a
// runtime file per broker port; a tool that finds it talks to kbroker (IsMockCluster) creates
// topics through it, with the partitions asked for, as CreateTopics would on a real Kafka.
#pragma once

#include <string>

#include "kt/core/status.hpp"

namespace kt {

// The file that holds the control URL of the kbroker listening on `port`:
// $XDG_RUNTIME_DIR (or $TMPDIR, or /tmp)/ktools-kbroker-<port>.
std::string KbrokerControlFile(int port);

// Creates `topic` with `partitions` partitions on the kbroker that `brokers` (a bootstrap list)
// names. NotFound when no kbroker control file is there for any of its ports.
Status KbrokerCreateTopic(const std::string& brokers, const std::string& topic, int partitions);

// The URL of the Schema Registry kbroker serves (its control URL + "/registry") when `brokers`
// names a kbroker; "" otherwise. Reads a local file only.
std::string KbrokerRegistryUrl(const std::string& brokers);

// What kbroker cannot do, in one sentence for an error message.
inline std::string KbrokerCannot(const std::string& what) {
  return "kbroker, the in-memory dev broker, cannot " + what +
         " (librdkafka's mock cluster has no such request); a real Kafka can (scripts/kafka start)";
}

}  // namespace kt
