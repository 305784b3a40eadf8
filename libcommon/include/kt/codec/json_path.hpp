// Setting fields of a JSON value by dotted path ("a.b.c"), for kmap --set and kscore.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

// A parsed dotted path. Empty segments ("a..b", ".a") are rejected, and so are paths of more than
// kMaxJsonDepth fields (a value there would nest deeper than JSON readers take).
Result<std::vector<std::string>> ParseFieldPath(std::string_view path);

// Sets doc[path...] = value, creating intermediate objects and replacing non-object
// intermediates. An existing field keeps its position; a new one is appended.
// DataError when the root is not an object, or when the path and what `value` nests together
// would be deeper than kMaxJsonDepth (the document is unchanged then).
Status SetField(rapidjson::Document* doc, const std::vector<std::string>& path, rapidjson::Value value);

}  // namespace kt
