// EvalContext: the per-record evaluation state (record, arena, RNG, run-time regex cache).
#include <re2/re2.h>

#include "node.hpp"

namespace kt::expr {

EvalContext::EvalContext(uint64_t seed) : rng_(seed) {}
EvalContext::~EvalContext() = default;

void EvalContext::Reset(const Record* record, const rapidjson::Value* value) {
  record_ = record;
  value_ = value;
  strings_used_ = 0;
  lists_used_ = 0;
}

std::string* EvalContext::NewString() {
  if (strings_used_ == strings_.size()) strings_.push_back(std::make_unique<std::string>());
  std::string* s = strings_[strings_used_++].get();
  s->clear();
  return s;
}

std::vector<Value>* EvalContext::NewList() {
  if (lists_used_ == lists_.size()) lists_.push_back(std::make_unique<std::vector<Value>>());
  std::vector<Value>* l = lists_[lists_used_++].get();
  l->clear();
  return l;
}

const re2::RE2* EvalContext::Regex(std::string_view pattern) {
  auto it = regexes_.find(std::string(pattern));
  if (it != regexes_.end()) return it->second.get();
  if (regexes_.size() >= 256) regexes_.clear();  // bounded: patterns computed per record
  std::string error;
  auto re = CompileRegex(pattern, &error);
  const re2::RE2* raw = re.get();
  regexes_.emplace(std::string(pattern), std::move(re));
  return raw;
}

std::unique_ptr<re2::RE2> CompileRegex(std::string_view pattern, std::string* error) {
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), re2::RE2::Quiet);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  return re;
}

}  // namespace kt::expr
