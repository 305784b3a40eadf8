#include "kt/app/http_service.hpp"

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "kt/app/state_route.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/client.hpp"
#include "kt/run/metrics_text.hpp"
#include "kt/run/monitor.hpp"

namespace kt {

namespace {

constexpr int64_t kLiveWithinMs = 120000;  // a commit may wait a minute for its flush; twice that

struct Service {
  httplib::Server server;
  std::thread thread;
  std::string address;
  ~Service() {
    // stop() does nothing before listen has begun, and listen would then never end.
    for (int i = 0; i < 400 && !server.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server.stop();
    if (thread.joinable()) thread.join();
  }
};

std::mutex service_mu;
// The process's, stopped at exit; made after the monitor, so that it is destroyed before it.
std::unique_ptr<Service>& TheService() {
  Monitor::Instance();
  static std::unique_ptr<Service> service;
  return service;
}

std::string JsonReasons(bool ok, const char* name, const std::vector<std::string>& reasons) {
  std::string body = std::string("{\"") + name + "\":" + (ok ? "true" : "false") + ",\"reasons\":[";
  for (size_t i = 0; i < reasons.size(); ++i) body += (i ? "," : "") + QuoteJson(reasons[i]);
  return body + "]}\n";
}

std::vector<std::string> NotReadyReasons(const RunPlan& plan, bool uses_kafka) {
  std::vector<std::string> why;
  auto stages = Monitor::Instance().Snapshots();
  bool running = false;
  for (const StageSnapshot& s : stages) {
    if (!s.running) continue;
    running = true;
    if (!s.assigned_once) why.push_back(s.stage + ": waiting for its first partitions from group " + s.group);
    if (s.restoring > 0)
      why.push_back(s.stage + ": restoring the state of " + std::to_string(s.restoring) + " partition(s)");
    if (s.recovering) why.push_back(s.stage + ": recovering from a broker outage or a fenced producer");
  }
  if (!running) why.push_back(stages.empty() ? "starting" : "the run has ended");
  if (uses_kafka) {
    int64_t last = LastBrokerContactMs(), now = NowMs();
    if (last == 0)
      why.push_back("no broker reached yet");
    else if (now - last > plan.unready_after_ms)
      why.push_back("no broker reached for " + std::to_string((now - last) / 1000) + " s (--unready-after)");
  }
  return why;
}

}  // namespace

Result<HttpAddress> ParseHttpAddress(const std::string& text) {
  HttpAddress a;
  auto colon = text.rfind(':');
  std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
  if (colon != std::string::npos) a.host = text.substr(0, colon);
  if (a.host.size() > 1 && a.host.front() == '[' && a.host.back() == ']')
    a.host = a.host.substr(1, a.host.size() - 2);
  char* end = nullptr;
  long n = port.empty() ? -1 : std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end || n < 0 || n > 65535)
    return Status::InvalidArgument("--http: '" + text +
                                   "' is not [HOST]:PORT (e.g. :9464 or 127.0.0.1:9464)");
  a.port = static_cast<int>(n);
  return a;
}

std::string AdvertisingClientId(const std::string& tool, const std::string& address) {
  return tool + ";id=" + CopyToken() + (address.empty() ? "" : ";http=" + address);
}

std::string AdvertisedAddress(const std::string& client_id) {
  auto at = client_id.find(";http=");
  if (at == std::string::npos) return "";
  std::string rest = client_id.substr(at + 6);
  return rest.substr(0, rest.find(';'));
}

Result<std::string> StartHttpService(const RunPlan& plan) {
  std::lock_guard<std::mutex> lock(service_mu);
  std::unique_ptr<Service>& service = TheService();
  if (service) return service->address;
  auto addr = ParseHttpAddress(plan.http);
  if (!addr.ok()) return addr.status();
  auto svc = std::make_unique<Service>();
  std::string bind_host = addr->host.empty() ? "0.0.0.0" : addr->host;
  int port = addr->port;
  if (port == 0) {
    port = svc->server.bind_to_any_port(bind_host);
    if (port < 0) port = 0;
  } else if (!svc->server.bind_to_port(bind_host, port)) {
    port = 0;
  }
  if (port == 0)
    return Status::IoError("--http " + plan.http + ": cannot listen there (in use, or no such address)");
  std::string host = addr->host;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    char name[256] = "";
    host = gethostname(name, sizeof name) == 0 && name[0] ? name : "localhost";
  }
  svc->address = host + ":" + std::to_string(port);
  Monitor::Instance().Enable();

  bool uses_kafka = plan.kafka_input() || plan.kafka_output();
  RunPlan p = plan;                                   // the handlers' own copy
  p.tool = plan.tool.substr(0, plan.tool.find('-'));  // the tool, not the stage that started first
  svc->server.Get("/metrics", [p](const httplib::Request&, httplib::Response& res) {
    res.set_content(MetricsText(p.tool, Monitor::Instance().Snapshots(), ReadProcessUsage()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  svc->server.Get("/health/live", [](const httplib::Request&, httplib::Response& res) {
    std::vector<std::string> why;
    int64_t now = NowMs();
    for (const StageSnapshot& s : Monitor::Instance().Snapshots())
      if (s.running && now - s.published_ms > kLiveWithinMs)
        why.push_back(s.stage + ": its loop has not turned for " +
                      std::to_string((now - s.published_ms) / 1000) + " s");
    res.status = why.empty() ? 200 : 503;
    res.set_content(JsonReasons(why.empty(), "live", why), "application/json");
  });
  svc->server.Get("/health/ready", [p, uses_kafka](const httplib::Request&, httplib::Response& res) {
    std::vector<std::string> why = NotReadyReasons(p, uses_kafka);
    res.status = why.empty() ? 200 : 503;
    res.set_content(JsonReasons(why.empty(), "ready", why), "application/json");
  });
  auto router = std::make_shared<StateRoute>(p, svc->address);
  svc->server.Get(R"(/state/(.+))", [router](const httplib::Request& req, httplib::Response& res) {
    router->Key(req.matches[1], req.has_param("local"), res);
  });
  svc->server.Get("/state", [router](const httplib::Request& req, httplib::Response& res) {
    router->Prefix(req.get_param_value("prefix"), req.has_param("local"), res);
  });
  Service* raw = svc.get();
  svc->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  if (!plan.quiet) LogInfo(p.tool, "serving http://" + svc->address + " (/metrics, /health/ready)");
  service = std::move(svc);
  return service->address;
}

}  // namespace kt
