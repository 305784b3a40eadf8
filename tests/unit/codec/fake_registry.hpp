// An in-memory Schema Registry for codec tests: ids from 1, one id per schema text (as
// Confluent's registry), each with the type it was registered as; counts lookups by id.
#pragma once

#include <map>
#include <string>

#include "kt/codec/schema_registry.hpp"

namespace kt::test {

class FakeRegistry : public SchemaRegistry {
 public:
  Result<RegisteredSchema> ById(int id) override {
    ++by_id_calls;
    if (!by_id.count(id)) return Status::NotFound("schema " + std::to_string(id) + " not found");
    return RegisteredSchema{id, 0, types[id], by_id[id]};
  }
  Result<RegisteredSchema> Latest(const std::string& subject) override {
    if (!subjects.count(subject)) return Status::NotFound("subject '" + subject + "' not found");
    int id = subjects[subject];
    return RegisteredSchema{id, 1, types[id], by_id[id]};
  }
  Result<int> Register(const std::string& subject, const std::string& schema,
                       const std::string& type) override {
    int id = 0;
    for (auto& [i, s] : by_id)
      if (s == schema) id = i;
    if (!id) by_id[id = next_id++] = schema, types[id] = type;
    subjects[subject] = id;
    return id;
  }
  std::map<int, std::string> by_id, types;
  std::map<std::string, int> subjects;
  int next_id = 1;
  int by_id_calls = 0;
};

}  // namespace kt::test
