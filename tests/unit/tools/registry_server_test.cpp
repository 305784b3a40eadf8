// kbroker's in-memory Schema Registry, served over HTTP and used through ktools' own registry
// client (codec/schema_registry.hpp), as the avro codec uses it.
#include "kbroker/registry_server.hpp"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "kt/codec/codec.hpp"
#include "kt/codec/registry_wire.hpp"

namespace {

const char* kV1 = R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"}]})";
const char* kV2 =
    R"({"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int","default":0}]})";

// kbroker's registry on a loopback port for the test's life (`server` may be an SSLServer, or
// check basic auth first).
struct Served {
  explicit Served(std::unique_ptr<httplib::Server> s = std::make_unique<httplib::Server>())
      : server_owner(std::move(s)), server(*server_owner) {
    kt::kbroker::MountRegistry(server, registry, "/registry");
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Served() {
    server.stop();
    thread.join();
  }
  std::string url(const char* scheme = "http") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port) + "/registry";
  }
  kt::kbroker::MemoryRegistry registry;
  std::unique_ptr<httplib::Server> server_owner;
  httplib::Server& server;
  int port = 0;
  std::thread thread;
};

}  // namespace

TEST_CASE("kbroker registry: ids are global, a schema has one id, subjects keep versions") {
  kt::kbroker::MemoryRegistry r;
  int a = *r.Register("a-value", kV1, "AVRO");
  CHECK(*r.Register("b-value", kV1, "AVRO") == a);
  CHECK(*r.Register("a-value", kV1, "AVRO") == a);  // again: no new version
  int b = *r.Register("a-value", kV2, "AVRO");
  CHECK(b != a);
  CHECK(*r.Versions("a-value") == std::vector<int>{1, 2});
  CHECK(r.Latest("a-value")->id == b);
  CHECK(r.Latest("a-value")->version == 2);
  CHECK(r.Version("a-value", 1)->schema == kV1);
  CHECK(r.Lookup("a-value", kV1)->version == 1);
  CHECK(r.Lookup("b-value", kV2).status().IsNotFound());
  CHECK(r.ById(99).status().IsNotFound());
  CHECK(r.Register("x", "{\"type\":\"nope\"}", "AVRO").status().IsInvalidArgument());
  CHECK(r.Subjects() == std::vector<std::string>{"a-value", "b-value"});
  CHECK(*r.Delete("b-value") == std::vector<int>{1});
  CHECK(r.Latest("b-value").status().IsNotFound());
}

TEST_CASE("registry client over HTTP: register, look up, errors in the registry's words") {
  Served s;
  auto client = kt::OpenSchemaRegistry({.url = s.url()});
  REQUIRE(client.ok());
  auto id = (*client)->Register("users-value", kV1, "AVRO");
  REQUIRE(id.ok());
  CHECK((*client)->ById(*id)->schema == kV1);
  CHECK((*client)->Latest("users-value")->id == *id);
  auto missing = (*client)->Latest("nobody-value");
  CHECK(missing.status().IsNotFound());
  CHECK(missing.status().message().find(
            "subject 'nobody-value': not found (Subject 'nobody-value' not found.)") != std::string::npos);
  CHECK((*client)->ById(77).status().IsNotFound());
  auto invalid = (*client)->Register("users-value", "{\"type\":\"record\"}", "AVRO");
  CHECK(invalid.status().IsInvalidArgument());
  CHECK(invalid.status().message().find("invalid schema") != std::string::npos);

  // The avro codec through the HTTP client: encode registers nothing new, decode looks up by id.
  kt::WriterSchemaChoice choice;
  choice.topic = "users";
  auto codec = *kt::Codec::Parse("avro");
  codec.BindRegistry(std::make_shared<kt::RegistryWire>(kt::WireFormat::kAvro, *client, choice));
  std::string scratch, scratch2;
  std::string_view wire, text;
  REQUIRE(codec.Encode(R"({"name":"ann"})", &scratch, &wire).ok());
  REQUIRE(codec.Decode(wire, &scratch2, &text).ok());
  CHECK(text == R"({"name":"ann"})");
}

TEST_CASE("registry client: bad URLs are usage errors; an unreachable registry answers in time") {
  CHECK(kt::OpenSchemaRegistry({.url = "localhost:8081"}).status().IsInvalidArgument());
  CHECK(kt::OpenSchemaRegistry({.url = "ftp://x"}).status().IsInvalidArgument());
  int port;
  {
    httplib::Server probe;  // a port nothing listens on once it is closed
    port = probe.bind_to_any_port("127.0.0.1");
  }
  auto client =
      kt::OpenSchemaRegistry({.url = "http://127.0.0.1:" + std::to_string(port), .timeout_ms = 1000});
  REQUIRE(client.ok());
  auto r = (*client)->ById(1);
  CHECK(r.status().IsUnavailable());
  CHECK(r.status().message().find("is unreachable") != std::string::npos);
}

TEST_CASE("registry client: basic auth is sent; a wrong password is refused in words") {
  auto guarded = std::make_unique<httplib::Server>();
  guarded->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == "Basic bWU6czNjcmV0")  // me:s3cret
      return httplib::Server::HandlerResponse::Unhandled;
    res.status = 401;
    return httplib::Server::HandlerResponse::Handled;
  });
  Served s(std::move(guarded));
  auto good = kt::OpenSchemaRegistry({.url = s.url(), .user_info = "me:s3cret"});
  REQUIRE(good.ok());
  CHECK((*good)->Register("a-value", kV1, "AVRO").ok());
  auto bad = kt::OpenSchemaRegistry({.url = s.url(), .user_info = "me:wrong"});
  auto refused = (*bad)->Latest("a-value");
  CHECK(refused.status().IsInvalidArgument());
  CHECK(refused.status().message().find("not authorized (HTTP 401") != std::string::npos);
}

TEST_CASE("registry client: https, trusting the CA given (schema.registry.ssl.ca.location)") {
  const std::string dir = KT_TEST_DATA "/tls";
  auto tls =
      std::make_unique<httplib::SSLServer>((dir + "/registry.crt").c_str(), (dir + "/registry.key").c_str());
  REQUIRE(tls->is_valid());
  Served s(std::move(tls));
  auto trusted = kt::OpenSchemaRegistry({.url = s.url("https"), .ca_location = dir + "/registry.crt"});
  REQUIRE(trusted.ok());
  auto id = (*trusted)->Register("a-value", kV1, "AVRO");
  INFO(id.status().message());
  CHECK(id.ok());
  auto untrusted = kt::OpenSchemaRegistry({.url = s.url("https"), .timeout_ms = 2000});
  auto r = (*untrusted)->ById(1);  // a self-signed certificate the system does not trust
  CHECK(r.status().IsUnavailable());
}

namespace {

// kbroker's registry behind a front that answers the first `failures` requests with `status`;
// `calls` counts every request.
struct FlakyServed {
  FlakyServed(int status, int failures) : served(Front(status, failures, calls)) {}
  static std::unique_ptr<httplib::Server> Front(int status, int failures, std::atomic<int>& calls) {
    auto front = std::make_unique<httplib::Server>();
    front->set_pre_routing_handler([=, &calls](const httplib::Request&, httplib::Response& res) {
      if (calls++ >= failures) return httplib::Server::HandlerResponse::Unhandled;
      res.status = status;
      res.set_content(R"({"error_code":50001,"message":"storage busy"})", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    });
    return front;
  }
  std::atomic<int> calls{0};
  Served served;
};

}  // namespace

TEST_CASE("registry client: a transient answer (408, 429, 5xx) is asked again; the call then succeeds") {
  for (int status : {500, 502, 503, 504, 429, 408}) {
    INFO(status);
    FlakyServed s(status, 1);
    auto id = (*kt::OpenSchemaRegistry({.url = s.served.url()}))->Register("a-value", kV1, "AVRO");
    REQUIRE(id.ok());
    CHECK(s.served.registry.ById(*id)->schema == kV1);
    CHECK(s.calls == 2);
  }
}

TEST_CASE("registry client: the wait before a retry: 100 ms doubling, or Retry-After, at most 2 s") {
  using std::chrono::milliseconds;
  CHECK(kt::RegistryRetryWait(0, "") == milliseconds(100));
  CHECK(kt::RegistryRetryWait(1, "") == milliseconds(200));
  CHECK(kt::RegistryRetryWait(2, "") == milliseconds(400));
  CHECK(kt::RegistryRetryWait(0, "0") == milliseconds(0));
  CHECK(kt::RegistryRetryWait(2, "1") == milliseconds(1000));
  CHECK(kt::RegistryRetryWait(0, "7") == milliseconds(2000));
  CHECK(kt::RegistryRetryWait(0, "99999999999999999999") == milliseconds(2000));  // no overflow
  for (const char* not_seconds : {"soon", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT"})
    CHECK(kt::RegistryRetryWait(1, not_seconds) == milliseconds(200));
}

TEST_CASE("registry client: a transient answer given every time is an error after 3 retries") {
  FlakyServed s(503, 100);
  auto id = (*kt::OpenSchemaRegistry({.url = s.served.url()}))->Register("a-value", kV1, "AVRO");
  CHECK(id.status().IsUnavailable());
  CHECK(id.status().message().find("subject 'a-value': HTTP 503: storage busy") != std::string::npos);
  CHECK(s.calls == 4);
}

TEST_CASE("registry client: an answer that will not change is not asked again") {
  for (int status : {409, 422, 404, 401, 400, 501}) {
    INFO(status);
    FlakyServed s(status, 100);
    CHECK(!(*kt::OpenSchemaRegistry({.url = s.served.url()}))->Latest("a-value").ok());
    CHECK(s.calls == 1);
  }
}
