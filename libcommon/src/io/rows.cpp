#include "kt/io/rows.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "kt/core/json.hpp"

namespace kt {

namespace {

// A value as a person reads it in a column: strings without quotes, null as "-".
std::string Display(const std::string& json) {
  if (json == "null") return "-";
  if (json.empty() || json[0] != '"') return json;
  rapidjson::Document d;
  if (!ParseJson(json, &d).ok() || !d.IsString()) return json;
  return std::string(View(d));
}

}  // namespace

RowPrinter::RowPrinter(std::vector<std::string> columns, bool json)
    : columns_(std::move(columns)), json_(json || !isatty(STDOUT_FILENO)) {}

void RowPrinter::Add(const std::vector<std::string>& values) {
  if (json_) {
    std::string line = "{";
    for (size_t i = 0; i < columns_.size() && i < values.size(); ++i) {
      if (i) line += ',';
      line += QuoteJson(columns_[i]) + ':' + values[i];
    }
    std::cout << line << "}\n";
    return;
  }
  std::vector<std::string> row;
  for (auto& v : values) row.push_back(Display(v));
  cells_.push_back(std::move(row));
}

void RowPrinter::Flush() {
  if (json_ || cells_.empty()) {
    std::cout << std::flush;
    return;
  }
  std::vector<size_t> width;
  for (auto& c : columns_) width.push_back(c.size());
  for (auto& row : cells_)
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
  auto print = [&](const std::vector<std::string>& row, bool upper) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      std::string cell = row[i];
      if (upper)
        std::transform(cell.begin(), cell.end(), cell.begin(),
                       [](unsigned char c) { return std::toupper(c); });
      line += cell;
      if (i + 1 < row.size()) line += std::string(width[i] - cell.size() + 2, ' ');
    }
    std::cout << line << "\n";
  };
  print(columns_, true);
  for (auto& row : cells_) print(row, false);
  cells_.clear();
  std::cout << std::flush;
}

}  // namespace kt
