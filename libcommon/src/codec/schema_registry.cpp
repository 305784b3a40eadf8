#include "kt/codec/schema_registry.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "kt/core/json.hpp"

namespace kt {

namespace {

constexpr const char* kContentType = "application/vnd.schemaregistry.v1+json";

class HttpSchemaRegistry : public SchemaRegistry {
 public:
  HttpSchemaRegistry(const RegistrySettings& s, const std::string& origin, std::string prefix)
      : settings_(s), prefix_(std::move(prefix)), client_(origin) {
    auto seconds = std::chrono::milliseconds(s.timeout_ms);
    client_.set_connection_timeout(seconds);
    client_.set_read_timeout(seconds);
    client_.set_write_timeout(seconds);
    if (size_t colon = s.user_info.find(':'); !s.user_info.empty())
      client_.set_basic_auth(s.user_info.substr(0, colon),
                             colon == std::string::npos ? "" : s.user_info.substr(colon + 1));
    if (!s.ca_location.empty()) client_.set_ca_cert_path(s.ca_location);
  }

  Result<RegisteredSchema> ById(int id) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
    auto body = Call("GET", "/schemas/ids/" + std::to_string(id), "", "schema id " + std::to_string(id));
    if (!body.ok()) return body.status();
    auto r = SchemaOf(*body);
    if (!r.ok()) return r.status();
    r->id = id;
    by_id_[id] = *r;
    return r;
  }

  Result<RegisteredSchema> Latest(const std::string& subject) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto body = Call("GET", "/subjects/" + subject + "/versions/latest", "", "subject '" + subject + "'");
    if (!body.ok()) return body.status();
    auto r = SchemaOf(*body);
    if (!r.ok()) return r.status();
    by_id_.emplace(r->id, *r);
    return r;
  }

  Result<int> Register(const std::string& subject, const std::string& schema,
                       const std::string& type) override {
    std::lock_guard<std::mutex> lock(mu_);
    rapidjson::Document req(rapidjson::kObjectType);
    auto& a = req.GetAllocator();
    req.AddMember("schema", rapidjson::Value(schema.c_str(), a), a);
    if (type != "AVRO") req.AddMember("schemaType", rapidjson::Value(type.c_str(), a), a);
    auto body = Call("POST", "/subjects/" + subject + "/versions", ToJson(req), "subject '" + subject + "'");
    if (!body.ok()) return body.status();
    rapidjson::Document d;  // (ParseJson: RapidJSON's SSE2 scanner reads past an unpadded string)
    if (!ParseJson(*body, &d).ok() || !d.IsObject() || !d.HasMember("id") || !d["id"].IsInt())
      return Status::Unavailable("schema registry at " + settings_.url +
                                 " answered a registration without an id");
    int id = d["id"].GetInt();
    by_id_.emplace(id, RegisteredSchema{id, 0, type, schema});
    return id;
  }

 private:
  // The body of a 200 answer; else an error in the registry's words, naming `what`.
  Result<std::string> Call(const std::string& method, const std::string& path, const std::string& body,
                           const std::string& what) {
    std::string full = prefix_ + path;
    auto send = [&] { return method == "GET" ? client_.Get(full) : client_.Post(full, body, kContentType); };
    httplib::Result res = send();
    for (int attempt = 0; res && Transient(res->status) && attempt < kRetries; ++attempt) {
      std::this_thread::sleep_for(RegistryRetryWait(attempt, res->get_header_value("Retry-After")));
      res = send();
    }
    if (!res)
      return Status::Unavailable("schema registry at " + settings_.url + " is unreachable (" +
                                 httplib::to_string(res.error()) + ")");
    if (res->status >= 200 && res->status < 300) return res->body;
    std::string message = res->body;
    rapidjson::Document d;
    if (ParseJson(res->body, &d).ok() && d.IsObject() && d.HasMember("message") && d["message"].IsString())
      message = d["message"].GetString();
    std::string where = "schema registry at " + settings_.url + ": " + what + ": ";
    if (res->status == 404) return Status::NotFound(where + "not found (" + message + ")");
    if (res->status == 409) return Status::InvalidArgument(where + "incompatible schema: " + message);
    if (res->status == 422) return Status::InvalidArgument(where + "invalid schema: " + message);
    if (res->status == 401 || res->status == 403)
      return Status::InvalidArgument(where + "not authorized (HTTP " + std::to_string(res->status) +
                                     "; basic auth: schema.registry.basic.auth.user.info)");
    return Status::Unavailable(where + "HTTP " + std::to_string(res->status) + ": " + message);
  }

  // Answers worth asking again, as Confluent's clients retry them: a registry restarting, behind
  // a busy proxy, or failing one request of many (Apicurio's storage under concurrent writes).
  // Every call here is idempotent (registering a schema the subject has returns its id), so a
  // retried POST registers once. A registry that does not answer at all is not retried: its
  // timeout has been spent already.
  static bool Transient(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
  }
  static constexpr int kRetries = 3;

  Result<RegisteredSchema> SchemaOf(const std::string& body) {
    rapidjson::Document d;
    if (!ParseJson(body, &d).ok() || !d.IsObject() || !d.HasMember("schema") || !d["schema"].IsString())
      return Status::Unavailable("schema registry at " + settings_.url + " answered without a schema");
    RegisteredSchema r;
    r.schema = d["schema"].GetString();
    if (d.HasMember("schemaType") && d["schemaType"].IsString()) r.type = d["schemaType"].GetString();
    if (d.HasMember("id") && d["id"].IsInt()) r.id = d["id"].GetInt();
    if (d.HasMember("version") && d["version"].IsInt()) r.version = d["version"].GetInt();
    return r;
  }

  RegistrySettings settings_;
  std::string prefix_;
  httplib::Client client_;
  std::mutex mu_;
  std::map<int, RegisteredSchema> by_id_;
};

}  // namespace

std::chrono::milliseconds RegistryRetryWait(int attempt, const std::string& retry_after) {
  auto wait = std::chrono::milliseconds(100 << std::min(attempt, 5));
  char* end = nullptr;
  long seconds = std::strtol(retry_after.c_str(), &end, 10);
  if (end != retry_after.c_str() && *end == '\0' && seconds >= 0)
    wait = std::chrono::seconds(std::min(seconds, 2L));
  return std::min(wait, std::chrono::milliseconds(2000));
}

Result<std::shared_ptr<SchemaRegistry>> OpenSchemaRegistry(const RegistrySettings& settings) {
  const std::string& url = settings.url;
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    return Status::InvalidArgument("schema registry URL '" + url + "' must start with http:// or https://");
  size_t path = url.find('/', scheme_end + 3);
  std::string origin = url.substr(0, path);
  std::string prefix = path == std::string::npos ? "" : url.substr(path);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (origin.size() <= scheme_end + 3)
    return Status::InvalidArgument("schema registry URL '" + url + "' has no host");
  return std::shared_ptr<SchemaRegistry>(std::make_shared<HttpSchemaRegistry>(settings, origin, prefix));
}

}  // namespace kt
