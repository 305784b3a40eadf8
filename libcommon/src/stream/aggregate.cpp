#include "kt/stream/aggregate.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>

#include "kt/core/strings.hpp"

namespace kt {

namespace {

std::string DefaultName(const std::string& fn, const std::string& arg) {
  std::string n = fn + "_";
  for (char c : arg) n.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  while (!n.empty() && n.back() == '_') n.pop_back();
  return n;
}

}  // namespace

Result<AggSpec> ParseAggSpec(const std::string& text) {
  std::string spec(Trim(text));
  AggSpec a;
  std::string shown;
  size_t paren = spec.find('(');
  size_t eq = spec.find('=');
  if (eq != std::string::npos && (paren == std::string::npos || eq < paren)) {
    a.name = std::string(Trim(spec.substr(0, eq)));
    spec = std::string(Trim(spec.substr(eq + 1)));
    paren = spec.find('(');
    if (a.name.empty()) return Status::InvalidArgument("--agg '" + text + "': empty name before '='");
    // The name is a field of JSON output and state, which are UTF-8.
    if (!IsValidUtf8(a.name))
      return Status::InvalidArgument("--agg '" + std::string(Utf8Text(text, &shown)) +
                                     "': the name is not UTF-8 text");
  }
  std::string fn = std::string(Trim(spec.substr(0, paren)));
  std::string arg;
  if (paren != std::string::npos) {
    if (spec.back() != ')') return Status::InvalidArgument("--agg '" + text + "': expected ')' at the end");
    arg = std::string(Trim(spec.substr(paren + 1, spec.size() - paren - 2)));
  }
  struct K {
    const char* name;
    AggSpec::Kind kind;
  };
  const K kinds[] = {{"count", AggSpec::Kind::kCount}, {"sum", AggSpec::Kind::kSum},
                     {"min", AggSpec::Kind::kMin},     {"max", AggSpec::Kind::kMax},
                     {"avg", AggSpec::Kind::kAvg},     {"first", AggSpec::Kind::kFirst},
                     {"last", AggSpec::Kind::kLast}};
  bool found = false;
  for (const K& k : kinds)
    if (fn == k.name) a.kind = k.kind, found = true;
  if (!found)
    return Status::InvalidArgument("--agg '" + text + "': unknown aggregate '" + fn +
                                   "' (use count, sum(x), min(x), max(x), avg(x), first(x), last(x))");
  if (a.kind == AggSpec::Kind::kCount) {
    if (!arg.empty()) return Status::InvalidArgument("--agg '" + text + "': count takes no argument");
    if (a.name.empty()) a.name = "count";
    return a;
  }
  if (arg.empty()) return Status::InvalidArgument("--agg '" + text + "': " + fn + "(x) needs an argument");
  auto e = expr::Expr::Parse(arg);
  if (!e.ok()) return Status::InvalidArgument("--agg '" + text + "': " + e.status().message());
  a.arg = std::make_shared<expr::Expr>(std::move(*e));
  if (a.name.empty()) a.name = DefaultName(fn, arg);
  if (a.name == "key" || a.name == "window")
    return Status::InvalidArgument("--agg '" + text + "': the name '" + a.name + "' is reserved");
  return a;
}

void Aggregator::Evaluate(expr::EvalContext& ctx) {
  values_.resize(specs_.size());
  for (size_t i = 0; i < specs_.size(); ++i)
    values_[i] = specs_[i].arg ? specs_[i].arg->Eval(ctx) : expr::Value::Null();
}

namespace {

Status NotFinite(const AggSpec& s, double a, double b) {
  rapidjson::Value va(a), vb(b);
  return Status::DataError(s.name + ": " + ToJson(va) + " + " + ToJson(vb) +
                           " is beyond what a double holds (the state is left as it was)");
}

// avg's running sum and count as the sums keep them: [sum, count], a number and a count of at
// least 1 (below 2^62, so that adding two never overflows).
bool SumsPair(const rapidjson::Value& p) {
  return p.IsArray() && p.Size() == 2 && p[0].IsNumber() && p[1].IsInt64() && p[1].GetInt64() >= 1 &&
         p[1].GetInt64() < (int64_t{1} << 62);
}

// A restored state whose field is not what the aggregate keeps there: written by other --agg
// specs under the same store (one of a name that is now another kind), or by someone else.
// Folding on would read it as a number it is not.
Status Foreign(const AggSpec& s, const char* what, const rapidjson::Value& v) {
  std::string shown = ToJson(v);
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  return Status::DataError("the state's " + std::string(what) + " '" + s.name + "' is " + shown +
                           ", not what this aggregate keeps there: was the state written with other --agg "
                           "specs? (another --name, or -G, starts a new one)");
}

// What a sum adds to (its field of `state`) or an avg does (its [sum, count] in `sums`), as *kept
// (null for none yet, and for the other kinds); a DataError when it is not what they keep there.
// (A count that is not a count starts again at 1; min, max, first and last take any value.)
Status Kept(const AggSpec& s, const rapidjson::Value& state, const rapidjson::Value* sums,
            const rapidjson::Value** kept) {
  *kept = nullptr;
  if (s.kind == AggSpec::Kind::kSum) {
    *kept = FindValue(state, s.name);
    if (*kept && !(*kept)->IsNumber()) return Foreign(s, "field", **kept);
  } else if (s.kind == AggSpec::Kind::kAvg && sums) {
    *kept = FindValue(*sums, s.name);
    if (*kept && !SumsPair(**kept)) return Foreign(s, "running sum and count of", **kept);
  }
  return Status::Ok();
}

// Kept, for every aggregate.
Status CheckKept(const std::vector<AggSpec>& specs, const rapidjson::Value& state,
                 const rapidjson::Value* sums) {
  const rapidjson::Value* kept;
  for (const AggSpec& s : specs)
    if (Status st = Kept(s, state, sums, &kept); !st.ok()) return st;
  return Status::Ok();
}

}  // namespace

Status Aggregator::Check(const rapidjson::Value& state, const rapidjson::Value* sums) const {
  // Every aggregate's kept value is checked, whatever the record holds: one lookup each.
  for (size_t i = 0; i < specs_.size(); ++i) {
    const AggSpec& s = specs_[i];
    const rapidjson::Value* kept;
    if (Status st = Kept(s, state, sums, &kept); !st.ok()) return st;
    const expr::Value& v = values_[i];
    if (!kept || !v.IsNumber()) continue;
    double add = v.AsDouble();
    if (s.kind == AggSpec::Kind::kSum) {
      int64_t r;
      if (kept->IsInt64() && v.IsInt() && !__builtin_add_overflow(kept->GetInt64(), v.AsInt(), &r)) continue;
      if (!std::isfinite(kept->GetDouble() + add)) return NotFinite(s, kept->GetDouble(), add);
    } else {  // avg's [sum, count]
      double sum = (*kept)[0].GetDouble();
      if (!std::isfinite(sum + add)) return NotFinite(s, sum, add);
    }
  }
  return Status::Ok();
}

Status Aggregator::Update(rapidjson::Document* state, rapidjson::Document* sums, expr::EvalContext& ctx) {
  Evaluate(ctx);
  return Fold(state, sums);
}

Status Aggregator::Fold(rapidjson::Document* state, rapidjson::Document* sums) {
  if (Status s = Check(*state, sums); !s.ok()) return s;
  auto& alloc = state->GetAllocator();
  if (!state->IsObject()) state->SetObject();
  auto member = [&](const std::string& name) -> rapidjson::Value* {
    auto it = kt::FindName(*state, name);
    return it == state->MemberEnd() ? nullptr : &it->value;
  };
  auto set = [&](const std::string& name, rapidjson::Value v) {
    if (rapidjson::Value* m = member(name)) {
      *m = v;
    } else {
      state->AddMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc), v,
                       alloc);
    }
  };
  for (size_t i = 0; i < specs_.size(); ++i) {
    const AggSpec& s = specs_[i];
    if (s.kind == AggSpec::Kind::kCount) {
      rapidjson::Value* m = member(s.name);
      int64_t n = m && m->IsInt64() && m->GetInt64() < INT64_MAX ? m->GetInt64() : 0;
      set(s.name, rapidjson::Value(n + 1));
      continue;
    }
    const expr::Value& v = values_[i];
    if (s.kind == AggSpec::Kind::kFirst || s.kind == AggSpec::Kind::kLast) {
      if (v.IsMissing()) {
        ++skipped_[i];
        continue;
      }
      if (s.kind == AggSpec::Kind::kLast || !member(s.name)) set(s.name, v.ToJson(alloc));
      continue;
    }
    if (!v.IsNumber()) {
      ++skipped_[i];
      continue;
    }
    rapidjson::Value* m = member(s.name);
    switch (s.kind) {
      case AggSpec::Kind::kSum: {
        if (!m) {
          set(s.name, v.ToJson(alloc));
          break;
        }
        int64_t r;
        if (m->IsInt64() && v.IsInt() && !__builtin_add_overflow(m->GetInt64(), v.AsInt(), &r))
          m->SetInt64(r);
        else
          m->SetDouble(m->GetDouble() + v.AsDouble());
        break;
      }
      case AggSpec::Kind::kMin:
      case AggSpec::Kind::kMax: {
        int c;
        if (!m || (expr::Compare(v, expr::Value::FromJson(*m), &c) &&
                   (s.kind == AggSpec::Kind::kMin ? c < 0 : c > 0)))
          set(s.name, v.ToJson(alloc));
        break;
      }
      case AggSpec::Kind::kAvg: {
        // sums.<name> = [sum, count]; the visible field is sum / count.
        if (!sums) break;  // the caller keeps no sums (REQUIRES: KeepsSums() means it does)
        if (!sums->IsObject()) sums->SetObject();
        auto& salloc = sums->GetAllocator();
        auto it = kt::FindName(*sums, s.name);
        double sum = v.AsDouble();
        int64_t n = 1;
        if (it != sums->MemberEnd()) {  // a SumsPair (Check)
          sum += it->value[0].GetDouble();
          n += it->value[1].GetInt64();
          it->value[0].SetDouble(sum);
          it->value[1].SetInt64(n);
        } else {
          rapidjson::Value pair(rapidjson::kArrayType);
          pair.PushBack(rapidjson::Value(sum), salloc).PushBack(rapidjson::Value(n), salloc);
          sums->AddMember(
              rapidjson::Value(s.name.data(), static_cast<rapidjson::SizeType>(s.name.size()), salloc), pair,
              salloc);
        }
        set(s.name, rapidjson::Value(sum / static_cast<double>(n)));
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

Status Aggregator::Merge(rapidjson::Document* state, rapidjson::Document* sums, const rapidjson::Value& later,
                         const rapidjson::Value& later_sums) const {
  if (Status kept = CheckKept(specs_, *state, sums); !kept.ok()) return kept;
  if (Status kept = CheckKept(specs_, later, &later_sums); !kept.ok()) return kept;
  // Sums that would overflow are refused before anything changes.
  for (const AggSpec& s : specs_) {
    bool avg = s.kind == AggSpec::Kind::kAvg;
    if (s.kind != AggSpec::Kind::kSum && !avg) continue;
    const rapidjson::Value* a = avg ? (sums ? FindValue(*sums, s.name) : nullptr) : FindValue(*state, s.name);
    const rapidjson::Value* b = avg ? FindValue(later_sums, s.name) : FindValue(later, s.name);
    if (avg) {  // SumsPairs (CheckKept)
      a = a ? &(*a)[0] : nullptr;
      b = b ? &(*b)[0] : nullptr;
    }
    if (a && b && a->IsNumber() && b->IsNumber() && !(a->IsInt64() && b->IsInt64()) &&
        !std::isfinite(a->GetDouble() + b->GetDouble()))
      return NotFinite(s, a->GetDouble(), b->GetDouble());
  }
  auto& alloc = state->GetAllocator();
  if (!state->IsObject()) state->SetObject();
  if (!later.IsObject()) return Status::Ok();
  auto set = [&](rapidjson::Value& obj, const std::string& name, const rapidjson::Value& v) {
    rapidjson::Value copy(v, alloc);
    auto it = kt::FindName(obj, name);
    if (it != obj.MemberEnd())
      it->value = copy;
    else
      obj.AddMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc), copy,
                    alloc);
  };
  for (const AggSpec& s : specs_) {
    const rapidjson::Value* b = FindValue(later, s.name);
    if (!b) continue;
    const rapidjson::Value* a = FindValue(*state, s.name);
    if (!a) {
      if (s.kind != AggSpec::Kind::kAvg) {
        set(*state, s.name, *b);
        continue;
      }
    }
    switch (s.kind) {
      case AggSpec::Kind::kCount:
      case AggSpec::Kind::kSum: {
        int64_t r;
        if (a->IsInt64() && b->IsInt64() && !__builtin_add_overflow(a->GetInt64(), b->GetInt64(), &r))
          set(*state, s.name, rapidjson::Value(r));
        else if (a->IsNumber() && b->IsNumber())
          set(*state, s.name, rapidjson::Value(a->GetDouble() + b->GetDouble()));
        break;
      }
      case AggSpec::Kind::kMin:
      case AggSpec::Kind::kMax: {
        int c;
        if (expr::Compare(expr::Value::FromJson(*b), expr::Value::FromJson(*a), &c) &&
            (s.kind == AggSpec::Kind::kMin ? c < 0 : c > 0))
          set(*state, s.name, *b);
        break;
      }
      case AggSpec::Kind::kFirst:
        break;  // state's came first
      case AggSpec::Kind::kLast:
        set(*state, s.name, *b);
        break;
      case AggSpec::Kind::kAvg: {
        const rapidjson::Value* pb = FindValue(later_sums, s.name);
        if (!sums || !pb) break;  // pb and pa: SumsPairs (CheckKept)
        double sum = (*pb)[0].GetDouble();
        int64_t n = (*pb)[1].GetInt64();
        if (!sums->IsObject()) sums->SetObject();
        const rapidjson::Value* pa = FindValue(*sums, s.name);
        if (pa) {
          sum += (*pa)[0].GetDouble();
          n += (*pa)[1].GetInt64();
        }
        auto& salloc = sums->GetAllocator();
        rapidjson::Value pair(rapidjson::kArrayType);
        pair.PushBack(rapidjson::Value(sum), salloc).PushBack(rapidjson::Value(n), salloc);
        rapidjson::Value key(s.name.data(), static_cast<rapidjson::SizeType>(s.name.size()), salloc);
        auto it = sums->FindMember(key);
        if (it != sums->MemberEnd())
          it->value = pair;
        else
          sums->AddMember(key, pair, salloc);
        set(*state, s.name, rapidjson::Value(sum / static_cast<double>(n)));
        break;
      }
    }
  }
  return Status::Ok();
}

void Aggregator::Render(const rapidjson::Value& state, std::string_view key, std::string* out,
                        const rapidjson::Value* window, const RawNumbers* raw) const {
  JsonText w(out);
  w.StartObject();
  w.Key("key", 3);
  std::string scratch;
  key = Utf8Text(key, &scratch);
  w.String(key.data(), key.size());
  if (window) {
    w.Key("window", 6);
    WriteJson(*window, &w, raw);
  }
  for (const AggSpec& s : specs_) {
    w.Key(s.name.data(), s.name.size());
    const rapidjson::Value* v = nullptr;
    if (state.IsObject()) {
      auto it = kt::FindName(state, s.name);
      if (it != state.MemberEnd()) v = &it->value;
    }
    if (v)
      WriteJson(*v, &w, raw);
    else if (s.kind == AggSpec::Kind::kCount)
      w.Int64(0);
    else
      w.Null();
  }
  w.EndObject();
}

std::string Aggregator::SkippedSummary() const {
  std::string s;
  for (size_t i = 0; i < specs_.size(); ++i)
    if (skipped_[i] > 0)
      s += (s.empty() ? "" : ", ") + std::to_string(skipped_[i]) + " inputs skipped by " + specs_[i].name;
  return s;
}

}  // namespace kt
