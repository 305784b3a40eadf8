// Rows for an operator (ktopic, kgroup): NDJSON, one object per row, printed as they come when
// stdout is not a terminal or --json is asked (what scripts read); on a terminal, aligned
// columns under a header, printed by Flush.
#pragma once

#include <string>
#include <vector>

namespace kt {

class RowPrinter {
 public:
  // `json`: NDJSON whatever stdout is (--json).
  RowPrinter(std::vector<std::string> columns, bool json);
  ~RowPrinter() { Flush(); }
  RowPrinter(const RowPrinter&) = delete;
  RowPrinter& operator=(const RowPrinter&) = delete;

  bool json() const { return json_; }
  // One row: the JSON text of each column's value, in column order (QuoteJson for strings).
  void Add(const std::vector<std::string>& values);
  // Prints the table (terminal only; NDJSON rows are out already).
  void Flush();

 private:
  std::vector<std::string> columns_;
  bool json_;
  std::vector<std::vector<std::string>> cells_;  // terminal: display texts, until Flush
};

}  // namespace kt
