// kbroker: librdkafka's in-memory mock cluster as an embedded development broker.
// Not a real Kafka: nothing is persisted and it is meant for demos and first steps.
#include <httplib.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "kbroker/registry_server.hpp"
#include "kt/app/fail.hpp"
#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"
#include "kt/core/signals.hpp"
#include "kt/core/strings.hpp"
#include "kt/kafka/kbroker_control.hpp"
#include "kt/run/options.hpp"

namespace kt::kbroker {

// The tool's entry point: tools/tool_main.cpp's main() calls it.
int Main(int argc, char** argv) {
  CLI::App app{"Run an in-memory development Kafka broker (librdkafka's mock cluster) until SIGINT/SIGTERM.",
               "kbroker"};
  int brokers = 1;
  std::string addr_file;
  std::vector<std::string> topics;
  bool quiet = false, verbose = false;
  app.add_option("--brokers", brokers, "Number of brokers in the cluster")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  app.add_option("--addr-file", addr_file, "Also write the bootstrap address to this file");
  app.add_option("--topic", topics, "Create topic NAME[:PARTITIONS] up front (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("-q,--quiet", quiet, "No messages on stderr");
  app.add_flag("-v,--verbose", verbose, "More diagnostics on stderr");
  app.set_version_flag("--version", kt::VersionText("kbroker"));
  if (int rc = kt::ParseCommandLine(app, argc, argv); rc >= 0) return rc;

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (!verbose) rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) return kt::FailWith("kbroker", kt::Status::KafkaError(err));
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    rd_kafka_destroy(rk);
    return kt::FailWith("kbroker", kt::Status::KafkaError("cannot start the mock cluster"));
  }
  for (const std::string& t : topics) {
    auto parts = kt::Split(t, ':');
    int64_t n = 1;
    if (parts.size() > 2 || parts[0].empty() ||
        (parts.size() == 2 && (!kt::ParseInt64(parts[1], &n) || n < 1))) {
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(rk);
      return kt::FailWith(
          "kbroker", kt::Status::InvalidArgument("--topic expects NAME or NAME:PARTITIONS, got '" + t + "'"));
    }
    rd_kafka_mock_topic_create(cluster, parts[0].c_str(), static_cast<int>(n), 1);
  }
  std::string addr = rd_kafka_mock_cluster_bootstraps(cluster);
  // The control channel (kafka/kbroker_control.hpp): topic creation over HTTP on loopback, named
  // in a runtime file per broker port, for the admin requests the mock cluster does not answer.
  httplib::Server control;
  control.Post("/topics", [&](const httplib::Request& req, httplib::Response& res) {
    int64_t n = 0;
    std::string name = req.get_param_value("name");
    if (name.empty() || !kt::ParseInt64(req.get_param_value("partitions"), &n) || n < 1 || n > 100000) {
      res.status = 400;
      res.set_content("expected name and partitions (1 or more)", "text/plain");
      return;
    }
    if (rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(cluster, name.c_str(), static_cast<int>(n), 1)) {
      res.status = 409;
      res.set_content(rd_kafka_err2str(e), "text/plain");
      return;
    }
    if (verbose)
      kt::LogInfo("kbroker", "created topic " + name + " with " + std::to_string(n) + " partitions");
  });
  // A Schema Registry in memory, for the avro format (kbroker/registry_server.hpp).
  kt::kbroker::MemoryRegistry registry;
  kt::kbroker::MountRegistry(control, registry, "/registry");
  int control_port = control.bind_to_any_port("127.0.0.1");
  std::vector<std::string> control_files;
  if (control_port > 0) {
    for (const std::string& b : kt::Split(addr, ',')) {
      int64_t port = 0;
      if (!kt::ParseInt64(b.substr(b.rfind(':') + 1), &port)) continue;
      std::string file = kt::KbrokerControlFile(static_cast<int>(port));
      std::ofstream f(file + ".tmp");
      f << "http://127.0.0.1:" << control_port << "\n";
      f.close();
      std::rename((file + ".tmp").c_str(), file.c_str());
      control_files.push_back(file);
    }
  }
  std::thread control_thread([&] { control.listen_after_bind(); });
  std::cout << addr << std::endl;
  if (!addr_file.empty()) {
    std::ofstream f(addr_file + ".tmp");
    f << addr << "\n";
    f.close();
    std::rename((addr_file + ".tmp").c_str(), addr_file.c_str());
  }
  if (!quiet) {
    kt::LogInfo("kbroker", "in-memory dev broker at " + addr + " (not a real Kafka; Ctrl-C stops it)");
    if (control_port > 0)
      kt::LogInfo("kbroker", "schema registry at http://127.0.0.1:" + std::to_string(control_port) +
                                 "/registry (tools pointed at this broker use it without --registry)");
  }
  kt::InstallSignalHandlers();
  while (!kt::StopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  control.stop();
  control_thread.join();
  for (const std::string& f : control_files) std::remove(f.c_str());
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  if (!quiet) kt::LogInfo("kbroker", "stopped");
  return kt::kExitOk;
}

}  // namespace kt::kbroker
