// kbroker's Schema Registry: the subset of Confluent's REST API that ktools and Confluent's
// serializers use, in memory, served beside kbroker's control channel under /registry (so a tool
// pointed at kbroker finds it without --registry: kafka/kbroker_control.hpp).
//
//   GET  /subjects                          names
//   GET  /subjects/S/versions               [1, 2, ...]
//   GET  /subjects/S/versions/V|latest      {subject, version, id, schema[, schemaType]}
//   POST /subjects/S/versions               {schema[, schemaType]} -> {id}; the same schema
//                                           again returns its id (no new version)
//   POST /subjects/S                        lookup: the version S holds the schema as
//   DELETE /subjects/S                      [versions deleted]
//   GET  /schemas/ids/N                     {schema[, schemaType]}
//   GET|PUT /config[/S]                     {"compatibilityLevel": "NONE"}: nothing is checked
//
// Avro schemas are checked to parse (422 otherwise); ids are global and a schema text has one
// id across subjects, as in Confluent's registry. Errors are {error_code, message}, Confluent's
// codes (40401 subject, 40402 version, 40403 schema not found, 42201 invalid schema).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kt/codec/schema_registry.hpp"

namespace httplib {
class Server;
}

namespace kt::kbroker {

class MemoryRegistry : public SchemaRegistry {
 public:
  Result<RegisteredSchema> ById(int id) override;
  Result<RegisteredSchema> Latest(const std::string& subject) override;
  Result<int> Register(const std::string& subject, const std::string& schema,
                       const std::string& type) override;

  Result<RegisteredSchema> Version(const std::string& subject, int version);  // version -1: latest
  // The version of `subject` that holds `schema`.
  Result<RegisteredSchema> Lookup(const std::string& subject, const std::string& schema);
  std::vector<std::string> Subjects();
  Result<std::vector<int>> Versions(const std::string& subject);
  Result<std::vector<int>> Delete(const std::string& subject);

 private:
  std::mutex mu_;
  std::vector<RegisteredSchema> schemas_;             // id - 1 -> schema
  std::map<std::string, std::vector<int>> subjects_;  // subject -> ids, by version
};

// Serves `registry` on `server` under `prefix` (e.g. "/registry").
void MountRegistry(httplib::Server& server, MemoryRegistry& registry, const std::string& prefix);

}  // namespace kt::kbroker
