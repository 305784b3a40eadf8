#include "window_query.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <tuple>
#include <vector>

#include "commands.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/time.hpp"
#include "kt/kafka/start_spec.hpp"

namespace kt::kwindow {

namespace {

struct Row {
  std::string key;
  int64_t start, end;
  std::string state;  // {"t": <max time>, "agg": {...}}
};

// "<key>@<start>/<end>" (the key may hold '@' itself: the last one separates).
bool ParseWindowKey(const std::string& text, Row* row) {
  auto at = text.rfind('@');
  if (at == std::string::npos) return false;
  auto slash = text.find('/', at);
  if (slash == std::string::npos) return false;
  try {
    size_t used = 0;
    row->start = std::stoll(text.substr(at + 1, slash - at - 1), &used);
    if (used != slash - at - 1) return false;
    row->end = std::stoll(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) return false;
  } catch (...) {
    return false;
  }
  row->key = text.substr(0, at);
  return true;
}

std::string Render(const Row& r) {
  std::string out = "{\"key\":" + QuoteJson(r.key) + ",\"window\":{\"start\":" + std::to_string(r.start) +
                    ",\"end\":" + std::to_string(r.end) + "}";
  rapidjson::Document d;
  RawNumbers raw;  // numbers as the state holds them (first/last keep a record's text)
  if (ParseJsonText(r.state, &d, &raw).ok() && d.IsObject() && d.HasMember("agg") && d["agg"].IsObject()) {
    for (auto& m : d["agg"].GetObject()) {
      out += "," + QuoteJson(View(m.name)) + ":";
      AppendJson(m.value, &out, &raw);
    }
  }
  return out + "}";
}

}  // namespace

Status RunWindowQuery(const WindowQuery& q, const KafkaConfig& cfg) {
  std::map<std::string, std::string> contents;
  KeyLookup lookup;
  if (q.key)
    lookup = {*q.key, [&](const std::map<std::string, std::string>& m) {
                for (auto& [k, v] : m) {
                  Row r;
                  if (ParseWindowKey(k, &r) && r.key == *q.key) return true;
                }
                return false;
              }};
  if (Status s = ReadStoreContents(q.where, cfg, "kwindow", &contents, q.key ? &lookup : nullptr); !s.ok())
    return s;
  std::string lines;
  if (Status s = RenderWindows(contents, q.key, q.at, q.where.store, &lines); !s.ok()) return s;
  std::cout << lines;
  return Status::Ok();
}

Status RenderWindows(const std::map<std::string, std::string>& contents,
                     const std::optional<std::string>& key, const std::optional<int64_t>& at,
                     const std::string& store, std::string* lines) {
  std::vector<Row> rows;
  for (auto& [k, v] : contents) {
    Row r;
    if (!ParseWindowKey(k, &r)) continue;  // the partition's stream time
    if (key && r.key != *key) continue;
    if (at && !((r.start <= *at && *at < r.end) || (r.start == r.end && *at == r.start))) continue;
    r.state = v;
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.key, a.start, a.end) < std::tie(b.key, b.start, b.end);
  });
  if (key && rows.empty())
    return Status::NotFound("key '" + *key + "' has no live window" +
                            (at ? " at " + std::to_string(*at) : "") + " in " + store);
  for (auto& r : rows) *lines += Render(r) + "\n";
  return Status::Ok();
}

}  // namespace kt::kwindow

namespace kt::kwindow {

void WindowReadCommand::SetupQuery(CLI::App& sub) {
  sub.add_option("--at", at_, "Only windows containing this time: RFC 3339, -DURATION, epoch ms");
  sub.add_flag("--now", now_, "Only windows containing the current time (Faust's .now())");
}

Status WindowReadCommand::Check() {
  if (now_ && !at_.empty()) return Status::InvalidArgument("--at and --now exclude each other");
  if (now_) at_time_ = NowMs();
  if (!at_.empty()) {
    auto t = ParseTimeSpec(at_, NowMs());
    if (!t.ok()) return Status::InvalidArgument("--at: " + t.status().message());
    at_time_ = *t;
  }
  return Status::Ok();
}

}  // namespace kt::kwindow
