// A Confluent-compatible Schema Registry: the REST calls ktools makes (Confluent's API; Apicurio
// serves it under /apis/ccompat/v7, kbroker in memory), over cpp-httplib with basic auth and TLS.
//
// Lookups by id are cached for the life of the client: an id names one schema forever, so the
// registry sees one request per schema, not one per record. A client is shared by the threads of
// one run (calls are serialized). A transient answer (408, 429, 500, 502-504) is asked again up to
// 3 times, 100 ms doubling between (or the answer's Retry-After, at most 2 s), as Confluent's
// clients do; one the registry keeps giving is an error in its words.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kt/core/status.hpp"

namespace kt {

struct RegistrySettings {
  std::string url;          // http(s)://host:port[/path], e.g. http://localhost:8081
  std::string user_info;    // basic auth "user:password"; "" none
  std::string ca_location;  // PEM file of the CA that signs an https registry; "" the system's
  int64_t timeout_ms = 5000;
};

struct RegisteredSchema {
  int id = 0;
  int version = 0;            // Latest only
  std::string type = "AVRO";  // AVRO, PROTOBUF or JSON
  std::string schema;         // the schema text
};

class SchemaRegistry {
 public:
  virtual ~SchemaRegistry() = default;
  // The schema with this id. NotFound names the id; Unavailable when the registry cannot be
  // reached (within timeout_ms).
  virtual Result<RegisteredSchema> ById(int id) = 0;
  // The subject's latest version. NotFound names the subject.
  virtual Result<RegisteredSchema> Latest(const std::string& subject) = 0;
  // Registers `schema` under `subject` (or finds it there) and returns its id. An incompatible
  // schema is InvalidArgument with the registry's own words (HTTP 409).
  virtual Result<int> Register(const std::string& subject, const std::string& schema,
                               const std::string& type) = 0;
};

// The wait before retry `attempt` (0, 1, 2) of a transient answer: 100 ms doubled per attempt,
// or the answer's Retry-After (whole seconds; "" or anything else: none), at most 2 s.
std::chrono::milliseconds RegistryRetryWait(int attempt, const std::string& retry_after);

// InvalidArgument when the URL is not http(s)://host[:port][/path].
Result<std::shared_ptr<SchemaRegistry>> OpenSchemaRegistry(const RegistrySettings& settings);

}  // namespace kt
