#include "kt/kafka/topic_pattern.hpp"

#include <fnmatch.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>

namespace kt {

namespace {

bool IsRegex(const std::string& text) { return !text.empty() && text[0] == '^'; }

// Internal topics (__consumer_offsets, _schemas) only for a pattern that asks for them.
bool Wants(const std::string& pattern, const std::string& name) {
  if (!name.empty() && name[0] == '_' && pattern.rfind('_', 0) != 0 && pattern.rfind("^_", 0) != 0)
    return false;
  return TopicMatches(pattern, name);
}

}  // namespace

bool IsTopicPattern(const std::string& text) {
  return IsRegex(text) || text.find_first_of("*?[") != std::string::npos;
}

bool TopicMatches(const std::string& pattern, const std::string& name) {
  if (IsRegex(pattern)) {
    RE2 re(pattern, RE2::Quiet);
    return re.ok() && RE2::PartialMatch(name, re);
  }
  if (IsTopicPattern(pattern)) return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
  return pattern == name;
}

Status CheckTopicPattern(const std::string& pattern) {
  if (!IsRegex(pattern)) return Status::Ok();
  RE2 re(pattern, RE2::Quiet);
  if (!re.ok()) return Status::InvalidArgument("topic pattern '" + pattern + "': " + re.error());
  return Status::Ok();
}

Result<std::vector<std::string>> ResolveTopics(const std::vector<std::string>& wanted,
                                               std::vector<std::string> existing) {
  std::sort(existing.begin(), existing.end());
  std::vector<std::string> topics;
  auto add = [&](const std::string& t) {
    if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(t);
  };
  for (const std::string& w : wanted) {
    if (Status s = CheckTopicPattern(w); !s.ok()) return s;
    if (!IsTopicPattern(w)) {
      add(w);  // a name: whether it exists is the reader's to say, with its own message
      continue;
    }
    bool any = false;
    for (const std::string& t : existing)
      if (Wants(w, t)) add(t), any = true;
    if (!any) return Status::NotFound("no topic matches '" + w + "'");
  }
  return topics;
}

}  // namespace kt
