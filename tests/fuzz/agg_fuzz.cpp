// libFuzzer target for aggregates (stream/grouping.hpp, stream/aggregate.hpp): --agg specs, and
// the state and sums a table or window restores, folded with records and merged as session
// windows merge. Input: lines; the first holds --agg specs separated by tabs, the second and
// third a restored state and its sums (JSON, or empty for none), the rest record values (JSON).
// Checked: no crash or sanitizer report; parsed specs have distinct names; folding the records
// into the restored state either refuses a record (a DataError) or leaves a state and sums that
// are written as JSON that reads back, and an output line that is JSON; and from an empty state,
// folding the records in one go equals folding any first part and the rest apart and merging
// the two (sums and averages compared only where every input is a small integer, so that no
// rounding differs).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/record.hpp"
#include "kt/expr/expr.hpp"
#include "kt/stream/aggregate.hpp"
#include "kt/stream/grouping.hpp"

namespace {

constexpr size_t kMaxRecords = 12;

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// A document that holds a JSON text, or null when the text is empty; false when it is not JSON.
bool Read(std::string_view text, rapidjson::Document* doc) {
  doc->SetNull();
  return text.empty() || kt::ParseJson(text, doc).ok();
}

// Folds `values` into `state` and `sums`, each record with a context of its own (random() then
// gives each record the same numbers in every run). False when a fold was refused.
bool FoldAll(kt::Aggregator& agg, const std::vector<rapidjson::Document>& values, size_t from, size_t to,
             rapidjson::Document* state, rapidjson::Document* sums) {
  kt::Record rec;
  for (size_t i = from; i < to; ++i) {
    kt::expr::EvalContext ctx;
    ctx.Reset(&rec, &values[i]);
    kt::Status s = agg.Update(state, sums, ctx);
    if (!s.ok()) {
      if (!s.IsDataError()) __builtin_trap();
      return false;
    }
  }
  return true;
}

// The state, its sums and the output are what a store and a topic get: JSON that reads back.
void CheckWritten(const kt::Aggregator& agg, const rapidjson::Document& state,
                  const rapidjson::Document& sums) {
  for (const rapidjson::Value* v :
       {static_cast<const rapidjson::Value*>(&state), static_cast<const rapidjson::Value*>(&sums)}) {
    std::string text;
    kt::AppendJson(*v, &text);
    rapidjson::Document back;
    if (!kt::ParseJson(text, &back).ok()) __builtin_trap();
  }
  std::string out;
  agg.Render(state, "k", &out);
  rapidjson::Document back;
  if (!kt::ParseJson(out, &back).ok() || !back.IsObject()) __builtin_trap();
}

// Whether every value an aggregate's argument takes from the records is an integer small
// enough that sums in any order are exact.
bool SmallIntegers(const kt::AggSpec& spec, const std::vector<rapidjson::Document>& values) {
  kt::Record rec;
  for (const rapidjson::Document& v : values) {
    kt::expr::EvalContext ctx;
    ctx.Reset(&rec, &v);
    kt::expr::Value x = spec.arg->Eval(ctx);
    if (x.IsNumber() && (!x.IsInt() || x.AsInt() > (int64_t{1} << 40) || x.AsInt() < -(int64_t{1} << 40)))
      return false;
  }
  return true;
}

void CheckMerge(const std::vector<kt::AggSpec>& specs, const std::vector<rapidjson::Document>& values) {
  kt::Aggregator whole_agg(specs);
  rapidjson::Document whole, whole_sums;
  if (!FoldAll(whole_agg, values, 0, values.size(), &whole, &whole_sums)) return;
  std::string want;
  whole_agg.Render(whole, "k", &want);
  rapidjson::Document want_doc;
  if (!kt::ParseJson(want, &want_doc).ok()) __builtin_trap();
  std::vector<bool> exact;
  for (const kt::AggSpec& s : specs)
    exact.push_back((s.kind != kt::AggSpec::Kind::kSum && s.kind != kt::AggSpec::Kind::kAvg) ||
                    SmallIntegers(s, values));
  for (size_t k = 0; k <= values.size(); ++k) {
    kt::Aggregator agg(specs);
    rapidjson::Document a, a_sums, b, b_sums;
    if (!FoldAll(agg, values, 0, k, &a, &a_sums) || !FoldAll(agg, values, k, values.size(), &b, &b_sums))
      continue;
    if (!agg.Merge(&a, &a_sums, b, b_sums).ok()) continue;
    std::string got;
    agg.Render(a, "k", &got);
    rapidjson::Document got_doc;
    if (!kt::ParseJson(got, &got_doc).ok()) __builtin_trap();
    for (size_t i = 0; i < specs.size(); ++i) {
      if (!exact[i]) continue;
      const std::string& name = specs[i].name;
      auto w = kt::FindName(want_doc, name);
      auto g = kt::FindName(got_doc, name);
      if (w == want_doc.MemberEnd() || g == got_doc.MemberEnd()) __builtin_trap();
      if (kt::ToJson(w->value) != kt::ToJson(g->value)) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines = Split(in, '\n');
  std::vector<std::string> texts;
  for (std::string_view t : Split(lines[0], '\t')) texts.emplace_back(t);
  auto grouping = kt::ParseGrouping(texts, "");
  if (!grouping.ok()) {
    if (!grouping.status().IsInvalidArgument()) __builtin_trap();
    return 0;
  }
  for (size_t i = 0; i < grouping->aggs.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (grouping->aggs[i].name == grouping->aggs[j].name) __builtin_trap();
  std::vector<rapidjson::Document> values;
  for (size_t i = 3; i < lines.size() && values.size() < kMaxRecords; ++i) {
    values.emplace_back();
    if (!Read(lines[i], &values.back())) values.pop_back();
  }
  // Restored: a state and sums as a store or changelog gives them, whoever wrote them.
  rapidjson::Document state, sums;
  if (lines.size() > 2 && Read(lines[1], &state) && Read(lines[2], &sums)) {
    kt::Aggregator agg(grouping->aggs);
    kt::Record rec;
    for (const rapidjson::Document& v : values) {
      kt::expr::EvalContext ctx;
      ctx.Reset(&rec, &v);
      kt::Status s = agg.Update(&state, agg.KeepsSums() ? &sums : nullptr, ctx);
      if (!s.ok() && !s.IsDataError()) __builtin_trap();
    }
    CheckWritten(agg, state, sums);
  }
  // now() differs from one evaluation to the next.
  if (lines[0].find("now") == std::string_view::npos) CheckMerge(grouping->aggs, values);
  return 0;
}
