// libFuzzer target for CSV rows (kproduce --format csv). Input: a header line, then rows. Checked:
// no crash; every row that splits completely and matches the header becomes valid JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kt/codec/csv.hpp"
#include "kt/core/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> header, row;
  size_t nl = in.find('\n');
  if (!kt::SplitCsvRow(in.substr(0, nl), &header) || nl == std::string_view::npos) return 0;
  std::string pending;
  std::string_view rest = in.substr(nl + 1);
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    pending.append(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (!kt::SplitCsvRow(pending, &row)) {
      pending.push_back('\n');
      continue;
    }
    std::string json;
    kt::Status s = kt::CsvRowToJson(header, row, &json);
    if (s.ok()) {
      rapidjson::Document d;
      if (!kt::ParseJsonText(json, &d).ok() || !d.IsObject()) __builtin_trap();
    } else if (s.message().empty()) {
      __builtin_trap();
    }
    pending.clear();
  }
  return 0;
}
