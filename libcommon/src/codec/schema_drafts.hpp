// JSON Schema's later drafts in the terms RapidJSON 1.1's validator checks (draft-04).
//
// RapidJSON 1.1 knows draft-04 only, and skips a keyword it does not know. So a draft-06 or
// draft-07 schema (the draft Confluent's serializers write) that said "const", "contains",
// "if"/"then"/"else", a number as "exclusiveMinimum" or "exclusiveMaximum", or false as a
// schema, had nothing checked there: values it refuses passed. TranslateLaterDrafts rewrites
// those, "propertyNames" (what draft-04 can say of a name: pattern, lengths, enum, const, type),
// and 2019-09's "dependentRequired" and "dependentSchemas", in place into draft-04 keywords that
// take exactly the same values, and refuses the later keywords that have no such terms
// ("prefixItems", "unevaluatedProperties", ...), naming them and where.
// It also rewrites a draft-04 shape RapidJSON 1.1 crashes on into one it takes
// (patternProperties beside "additionalProperties": false).
#pragma once

#include <map>
#include <string>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Per schema object (its URI fragment, as the validator reports a schema: "#/properties/n"), the
// keyword the validator reports for a translated one, and what to name instead ("const").
using DraftKeywords = std::map<std::string, std::map<std::string, std::string>>;

// Translates `schema` in place, from its root and every place a draft puts a schema (properties,
// items, definitions, $defs, allOf, not, if, ...), filling `reported`. InvalidArgument (without
// the schema's origin) for a later keyword that draft-04 cannot say. A schema reached only by a
// $ref from elsewhere than those places is not translated.
Status TranslateLaterDrafts(rapidjson::Document* schema, DraftKeywords* reported);

}  // namespace kt
