#include "kbroker/registry_server.hpp"

#include <httplib.h>

#include <algorithm>

#include "kt/codec/avro_schema.hpp"
#include "kt/codec/protobuf_schema.hpp"
#include "kt/core/json.hpp"
#include "kt/core/strings.hpp"

namespace kt::kbroker {

Result<RegisteredSchema> MemoryRegistry::ById(int id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (id < 1 || id > static_cast<int>(schemas_.size()))
    return Status::NotFound("Schema " + std::to_string(id) + " not found");
  return schemas_[static_cast<size_t>(id - 1)];
}

Result<RegisteredSchema> MemoryRegistry::Latest(const std::string& subject) { return Version(subject, -1); }

Result<RegisteredSchema> MemoryRegistry::Version(const std::string& subject, int version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return Status::NotFound("Subject '" + subject + "' not found.");
  const std::vector<int>& ids = it->second;
  if (version == -1) version = static_cast<int>(ids.size());
  if (version < 1 || version > static_cast<int>(ids.size()))
    return Status::NotFound("Version " + std::to_string(version) + " not found.");
  RegisteredSchema r = schemas_[static_cast<size_t>(ids[static_cast<size_t>(version - 1)] - 1)];
  r.version = version;
  return r;
}

Result<int> MemoryRegistry::Register(const std::string& subject, const std::string& schema,
                                     const std::string& type) {
  if (type == "AVRO")
    if (auto parsed = avro::Schema::Parse(schema); !parsed.ok())
      return Status::InvalidArgument("Invalid schema: " + parsed.status().message());
  if (type == "PROTOBUF")
    if (auto parsed = proto::Schema::Parse(schema, "schema"); !parsed.ok())
      return Status::InvalidArgument("Invalid schema: " + parsed.status().message());
  std::lock_guard<std::mutex> lock(mu_);
  int id = 0;
  for (const RegisteredSchema& s : schemas_)
    if (s.schema == schema && s.type == type) id = s.id;
  if (id == 0) {
    id = static_cast<int>(schemas_.size()) + 1;
    schemas_.push_back(RegisteredSchema{id, 0, type, schema});
  }
  std::vector<int>& ids = subjects_[subject];
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  return id;
}

Result<RegisteredSchema> MemoryRegistry::Lookup(const std::string& subject, const std::string& schema) {
  auto versions = Versions(subject);
  if (!versions.ok()) return versions.status();
  for (int v : *versions) {
    auto r = Version(subject, v);
    if (r.ok() && r->schema == schema) return r;
  }
  return Status::NotFound("Schema not found");
}

std::vector<std::string> MemoryRegistry::Subjects() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (auto& [s, ids] : subjects_) out.push_back(s);
  return out;
}

Result<std::vector<int>> MemoryRegistry::Versions(const std::string& subject) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return Status::NotFound("Subject '" + subject + "' not found.");
  std::vector<int> v;
  for (size_t i = 0; i < it->second.size(); ++i) v.push_back(static_cast<int>(i) + 1);
  return v;
}

Result<std::vector<int>> MemoryRegistry::Delete(const std::string& subject) {
  auto v = Versions(subject);
  if (!v.ok()) return v;
  std::lock_guard<std::mutex> lock(mu_);
  subjects_.erase(subject);
  return v;
}

namespace {

constexpr const char* kJson = "application/vnd.schemaregistry.v1+json";

void Reply(httplib::Response& res, const rapidjson::Value& v) { res.set_content(ToJson(v), kJson); }

void Error(httplib::Response& res, const Status& s, int not_found_code) {
  int http = s.IsNotFound() ? 404 : s.IsInvalidArgument() ? 422 : 500;
  int code = s.IsNotFound() ? not_found_code : s.IsInvalidArgument() ? 42201 : 50001;
  if (s.IsNotFound() && s.message().rfind("Version", 0) == 0) code = 40402;
  rapidjson::Document d(rapidjson::kObjectType);
  d.AddMember("error_code", code, d.GetAllocator());
  d.AddMember("message", rapidjson::Value(s.message().c_str(), d.GetAllocator()), d.GetAllocator());
  res.status = http;
  Reply(res, d);
}

void ReplySchema(httplib::Response& res, const RegisteredSchema& r, const std::string& subject) {
  rapidjson::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  if (!subject.empty()) {
    d.AddMember("subject", rapidjson::Value(subject.c_str(), a), a);
    d.AddMember("version", r.version, a);
  }
  d.AddMember("id", r.id, a);
  d.AddMember("schema", rapidjson::Value(r.schema.c_str(), a), a);
  if (r.type != "AVRO") d.AddMember("schemaType", rapidjson::Value(r.type.c_str(), a), a);
  Reply(res, d);
}

void ReplyInts(httplib::Response& res, const std::vector<int>& v) {
  rapidjson::Document d(rapidjson::kArrayType);
  for (int i : v) d.PushBack(i, d.GetAllocator());
  Reply(res, d);
}

// The body's schema and type; false (with a 422 sent) when it has none.
bool SchemaOf(const httplib::Request& req, httplib::Response& res, std::string* schema, std::string* type) {
  rapidjson::Document d;
  if (!ParseJson(req.body, &d).ok() || !d.IsObject() || !d.HasMember("schema") || !d["schema"].IsString()) {
    Error(res, Status::InvalidArgument("expected {\"schema\": \"...\"}"), 0);
    return false;
  }
  *schema = d["schema"].GetString();
  *type = d.HasMember("schemaType") && d["schemaType"].IsString() ? d["schemaType"].GetString() : "AVRO";
  return true;
}

}  // namespace

void MountRegistry(httplib::Server& server, MemoryRegistry& r, const std::string& prefix) {
  server.Get(prefix + "/subjects", [&r](const httplib::Request&, httplib::Response& res) {
    rapidjson::Document d(rapidjson::kArrayType);
    for (const std::string& s : r.Subjects())
      d.PushBack(rapidjson::Value(s.c_str(), d.GetAllocator()), d.GetAllocator());
    Reply(res, d);
  });
  server.Get(prefix + "/subjects/([^/]+)/versions",
             [&r](const httplib::Request& req, httplib::Response& res) {
               auto v = r.Versions(req.matches[1]);
               v.ok() ? ReplyInts(res, *v) : Error(res, v.status(), 40401);
             });
  server.Get(prefix + "/subjects/([^/]+)/versions/([^/]+)",
             [&r](const httplib::Request& req, httplib::Response& res) {
               std::string subject = req.matches[1], which = req.matches[2];
               int64_t n = -1;
               if (which != "latest" && (!ParseInt64(which, &n) || n < 1))
                 return Error(res, Status::NotFound("Version " + which + " not found."), 40402);
               auto s = r.Version(subject, static_cast<int>(n));
               s.ok() ? ReplySchema(res, *s, subject) : Error(res, s.status(), 40401);
             });
  server.Post(prefix + "/subjects/([^/]+)/versions",
              [&r](const httplib::Request& req, httplib::Response& res) {
                std::string schema, type;
                if (!SchemaOf(req, res, &schema, &type)) return;
                auto id = r.Register(req.matches[1], schema, type);
                if (!id.ok()) return Error(res, id.status(), 0);
                rapidjson::Document d(rapidjson::kObjectType);
                d.AddMember("id", *id, d.GetAllocator());
                Reply(res, d);
              });
  server.Post(prefix + "/subjects/([^/]+)", [&r](const httplib::Request& req, httplib::Response& res) {
    std::string schema, type;
    if (!SchemaOf(req, res, &schema, &type)) return;
    auto s = r.Lookup(req.matches[1], schema);
    s.ok() ? ReplySchema(res, *s, req.matches[1]) : Error(res, s.status(), 40403);
  });
  server.Delete(prefix + "/subjects/([^/]+)", [&r](const httplib::Request& req, httplib::Response& res) {
    auto v = r.Delete(req.matches[1]);
    v.ok() ? ReplyInts(res, *v) : Error(res, v.status(), 40401);
  });
  server.Get(prefix + "/schemas/ids/([0-9]+)", [&r](const httplib::Request& req, httplib::Response& res) {
    int64_t id = 0;
    ParseInt64(std::string(req.matches[1]), &id);
    auto s = r.ById(static_cast<int>(id));
    s.ok() ? ReplySchema(res, *s, "") : Error(res, s.status(), 40403);
  });
  auto config = [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"compatibilityLevel":"NONE"})", kJson);
  };
  server.Get(prefix + "/config", config);
  server.Put(prefix + "/config", config);
  server.Get(prefix + "/config/([^/]+)", config);
  server.Put(prefix + "/config/([^/]+)", config);
}

}  // namespace kt::kbroker
