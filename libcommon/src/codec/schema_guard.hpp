// What RapidJSON 1.1's JSON Schema validator cannot take, found before it reads a schema.
//
// RapidJSON trusts a schema's shape: it makes a schema of every object in the document and
// reads some keywords without checking their types, and its regex engine and $ref resolution
// assume well-formed input. A schema outside those assumptions crashed a tool on its first value
// (a stack overflow, an assertion, or reads of memory that was never written), or, for a pattern
// its engine cannot read, was dropped silently so that nothing was checked there. GuardSchema
// refuses such a schema, naming what and where (a JSON pointer), so that --schema and a
// registry's jsonschema subjects fail at the start, in words.
#pragma once

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

// InvalidArgument (without the schema's origin) when RapidJSON's validator cannot take `schema`.
Status GuardSchema(const rapidjson::Value& schema);

// InvalidArgument (without the schema's origin) when an object anywhere in `schema` has a member
// name twice. Run on the schema as written, before TranslateLaterDrafts moves what it would name.
Status GuardMemberNames(const rapidjson::Value& schema);

}  // namespace kt
