// CSV (RFC 4180) rows -> JSON objects, for `kproduce --format csv`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

// Splits one CSV record into fields. Returns false when a quoted field is still open at the
// end of `row` (the record continues on the next line).
bool SplitCsvRow(std::string_view row, std::vector<std::string>* fields);

// Builds a JSON object from a header and one row. Fields are typed: empty -> null, a base-10
// integer -> int, a finite decimal -> double, anything else -> string.
Status CsvRowToJson(const std::vector<std::string>& header, const std::vector<std::string>& row,
                    std::string* json);

}  // namespace kt
