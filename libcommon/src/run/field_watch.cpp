#include "kt/run/field_watch.hpp"

#include <algorithm>

#include "kt/core/strings.hpp"

namespace kt {

void FieldWatch::Observe(const rapidjson::Value& value) {
  if (!value.IsObject()) return;
  ++objects_;
  if (objects_ <= kSampleRecords) {
    for (auto m = value.MemberBegin(); m != value.MemberEnd() && seen_.size() < kMaxSeen; ++m)
      seen_.emplace(m->name.GetString(), m->name.GetStringLength());
  }
  for (size_t i = 0; i < unseen_.size();) {
    const std::string& f = unseen_[i];
    if (value.HasMember(rapidjson::StringRef(f.data(), static_cast<rapidjson::SizeType>(f.size())))) {
      unseen_.erase(unseen_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

std::vector<std::string> FieldWatch::Messages() const {
  std::vector<std::string> out;
  for (const std::string& f : Missing()) {
    std::string best;
    size_t best_d = SIZE_MAX;
    for (const std::string& s : seen_) {
      std::string a = f, b = s;  // a case slip is the closest miss of all
      std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::tolower(c); });
      std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return std::tolower(c); });
      size_t d = a == b ? 0 : EditDistance(f, s);
      if (d < best_d) best_d = d, best = s;
    }
    std::string m = "field '" + f + "' was in none of the " + std::to_string(objects_) +
                    (objects_ == 1 ? " record" : " records") + ", so it was null in every one";
    if (!best.empty() && best_d <= std::max<size_t>(2, f.size() / 3)) m += " (did you mean '" + best + "'?)";
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace kt
