#include "avro_union.hpp"

namespace kt::avro::unions {

std::string BranchName(const Node& b) { return b.name.empty() ? TypeName(b.type) : b.name; }

size_t NamedBranch(const Node& u, std::string_view key) {
  size_t by_short = std::string::npos;
  for (size_t i = 0; i < u.branches.size(); ++i) {
    std::string name = BranchName(*u.branches[i]);
    if (key == name) return i;
    size_t dot = name.rfind('.');
    if (by_short == std::string::npos && dot != std::string::npos &&
        key == std::string_view(name).substr(dot + 1))
      by_short = i;
  }
  return by_short;
}

}  // namespace kt::avro::unions
