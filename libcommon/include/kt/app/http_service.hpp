// --http: a running tool as a service. One HTTP server per process (cpp-httplib, on its own
// threads), started before the run's Kafka clients so that they can advertise it:
//
//   GET /metrics        Prometheus text (run/metrics_text.hpp) of every stage of the process.
//   GET /health/live    200 while every running stage's loop turns (published in the last
//                       kLiveWithinMs), else 503.
//   GET /health/ready   200 when every stage has its first assignment, no state restoring, no
//                       recovery under way, and a broker was reached within --unready-after;
//                       else 503. The body says why, as JSON.
//   GET /state/KEY      ktable, kwindow: the key's rows as `ktable get` / `kwindow get` print
//                       them. The copy that holds the key's partition (murmur2 of the key, as
//                       the group key is partitioned) answers from its stores; any other copy
//                       of the group finds the holder through the group (DescribeGroups: each
//                       member's assignment, and its HTTP address in its client.id,
//                       "<tool>;http=HOST:PORT") and proxies the query (X-Ktools-Owner names it).
//                       404 unknown key, 503 restoring or rebalancing, 502 holder unreachable.
//   GET /state?prefix=P every key starting with P (all keys without P), from every copy.
//   ?local=1            (on both) this copy only: 421 for a key whose partition it does not hold.
#pragma once

#include <string>

#include "kt/app/run_plan.hpp"
#include "kt/core/status.hpp"

namespace kt {

struct HttpAddress {
  std::string host;  // "" all interfaces
  int port = 0;      // 0: any free port
};
// "[HOST]:PORT" or "PORT"; InvalidArgument naming --http otherwise.
Result<HttpAddress> ParseHttpAddress(const std::string& text);

// Starts the service for `plan` (plan.http) once per process; later calls return the first
// one's address. The port is bound now: an address in use fails here, before the run. Returns
// the address other copies reach it at (HOST:PORT, the host name when bound to all interfaces).
Result<std::string> StartHttpService(const RunPlan& plan);

// The client.id a run's Kafka clients carry to advertise `address`, and the address back from
// a member's client id ("" when it advertises none).
std::string AdvertisingClientId(const std::string& tool, const std::string& address);
std::string AdvertisedAddress(const std::string& client_id);

}  // namespace kt
