// libFuzzer target for the JSON reader, the exact-number writer and the -J envelope. Input: any
// bytes, read as a record value and as an envelope line. Checked: no crash or sanitizer report;
// the validating and the building parser agree, and so does the field scanner where it answers;
// a parsed document (with its recorded number texts) is written as valid JSON that reads back and
// writes the same; an envelope either parses or says why. The same bytes as a key, a raw value
// and a header: an envelope carries them exactly or refuses the record (never invalid JSON), and
// text shown from them is UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/codec/codec.hpp"
#include "kt/codec/envelope.hpp"
#include "kt/codec/value_parser.hpp"
#include "kt/core/json_field_scan.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  rapidjson::Document doc;
  kt::RawNumbers raw;
  kt::Status parsed = kt::ParseJsonText(in, &doc, &raw);
  if (parsed.ok() != kt::ValidateJsonText(in).ok()) __builtin_trap();
  kt::ValueParser vp;
  if (vp.ParseJson(in).ok() != parsed.ok()) __builtin_trap();
  if (parsed.ok()) {
    std::string out;
    kt::AppendJson(doc, &out, &raw);
    rapidjson::Document again;
    kt::RawNumbers raw_again;
    if (!kt::ParseJsonText(out, &again, &raw_again).ok()) __builtin_trap();  // we wrote invalid JSON
    std::string out_again;  // or another document (compared as text: objects may repeat names)
    kt::AppendJson(again, &out_again, &raw_again);
    if (out_again != out) __builtin_trap();
    std::string pretty;
    kt::AppendPrettyJson(doc, &pretty, &raw);
    // The field scanner's answers (core/json_field_scan.hpp) are the parser's: for "a", and for
    // the first member's name.
    std::string first = doc.IsObject() && doc.MemberCount() > 0 ? doc.MemberBegin()->name.GetString() : "a";
    for (std::string_view name : {std::string_view("a"), std::string_view(first)}) {
      std::string_view scanned;
      if (!kt::ScanPlainStringField(in, name, &scanned)) continue;
      if (!doc.IsObject()) __builtin_trap();
      int seen = 0;
      for (auto& m : doc.GetObject())
        if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == name) {
          ++seen;
          if (!m.value.IsString() ||
              std::string_view(m.value.GetString(), m.value.GetStringLength()) != scanned)
            __builtin_trap();
        }
      if (seen != 1) __builtin_trap();
    }
  } else if (parsed.message().empty()) {
    __builtin_trap();  // errors must explain themselves
  }
  rapidjson::Document scratch;
  kt::Envelope env;
  for (const char* codec : {"json", "raw", "binary"}) {
    auto c = kt::Codec::Parse(codec);
    kt::Status s = kt::ParseEnvelope(in, kt::Codec(), *c, &scratch, &env);
    if (!s.ok() && s.message().empty()) __builtin_trap();
  }
  std::string shown_scratch;
  std::string_view shown = kt::Utf8Text(in, &shown_scratch);
  if (!kt::IsValidUtf8(shown) || kt::IsValidUtf8(in) != (shown == in)) __builtin_trap();
  auto raw_codec = *kt::Codec::Parse("raw");
  kt::Headers headers{{"h", in}};
  kt::OutRecord r;
  r.key = in;
  r.value_kind = kt::OutRecord::ValueKind::kText;
  r.value_text = in;
  r.headers = &headers;
  std::string line;
  if (kt::AppendEnvelope(r, raw_codec, raw_codec, &line).ok() != kt::IsValidUtf8(in)) __builtin_trap();
  r.key.reset();
  r.value_kind = kt::OutRecord::ValueKind::kNull;
  line.clear();
  if (!kt::AppendEnvelope(r, raw_codec, raw_codec, &line).ok()) __builtin_trap();  // a header always travels
  if (!kt::ParseEnvelope(line, raw_codec, raw_codec, &scratch, &env).ok() || env.headers.size() != 1 ||
      env.headers[0].second != in)
    __builtin_trap();
  return 0;
}
