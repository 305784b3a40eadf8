#include "kt/io/record_format.hpp"

namespace kt {

Result<std::vector<FormatPart>> ParseRecordFormat(std::string_view text) {
  std::vector<FormatPart> parts;
  auto literal = [&](char c) {
    if (parts.empty() || parts.back().field != 0) parts.push_back({});
    parts.back().literal.push_back(c);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char e = text[++i];
      literal(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
    } else if (c == '%') {
      if (i + 1 == text.size()) return Status::InvalidArgument("--format ends with a lone %");
      char f = text[++i];
      if (f == '%') {
        literal('%');
        continue;
      }
      static constexpr std::string_view kFields = "sktpoThSK";
      if (kFields.find(f) == std::string_view::npos)
        return Status::InvalidArgument(std::string("--format: unknown field %") + f +
                                       " (known: %s value, %k key, %t topic, %p partition, %o offset, "
                                       "%T timestamp, %h headers, %S value size, %K key size, %% percent)");
      parts.push_back({f, ""});
    } else {
      literal(c);
    }
  }
  return parts;
}

}  // namespace kt
