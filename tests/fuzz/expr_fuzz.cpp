// libFuzzer target for the expression parser and evaluator. Input: an expression, a newline,
// then a JSON value to evaluate it on. Any crash, sanitizer report or leak is a failure; parse
// errors and null results are fine. Run by scripts/fuzz (part of scripts/test).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/expr/expr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view src = in.substr(0, nl);
  std::string_view json = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto e = kt::expr::Expr::Parse(src);
  if (!e.ok()) {
    if (e.status().message().empty()) __builtin_trap();  // errors must explain themselves
    return 0;
  }
  rapidjson::Document doc;
  bool have_value = kt::ParseJson(json, &doc).ok();
  kt::Headers headers{{"h", "v"}, {"n", std::nullopt}};
  kt::Record rec;
  rec.key = "k";
  rec.timestamp = 1700000000000;
  rec.partition = 1;
  rec.offset = 7;
  rec.topic = "t";
  rec.headers = &headers;
  kt::expr::EvalContext ctx(1);
  for (int i = 0; i < 2; ++i) {  // twice: exercises cached field positions and regexes
    ctx.Reset(&rec, have_value ? &doc : nullptr);
    kt::expr::Value v = e->Eval(ctx);
    std::string out;
    v.AppendJson(&out);
    (void)v.Truthy();
    rapidjson::Document target;
    (void)v.ToJson(target.GetAllocator());
  }
  return 0;
}
