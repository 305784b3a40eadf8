// kcat's -f: each record printed through a format string. %s value, %k key, %t topic,
// %p partition, %o offset, %T timestamp (epoch ms), %h headers (name=value,...), %S value
// size, %K key size (-1 when null), %% a percent sign; \n \t \r \\ escapes. Nothing is added
// after a record: the format says where lines end, as kcat's does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

struct FormatPart {
  char field = 0;       // 's', 'k', ... or 0 for literal text
  std::string literal;  // field 0: the text
};

// The parts of `text`; an unknown %X or a lone % at the end is a usage error naming it.
Result<std::vector<FormatPart>> ParseRecordFormat(std::string_view text);

}  // namespace kt
