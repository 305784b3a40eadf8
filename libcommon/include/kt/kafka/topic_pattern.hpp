// Topic patterns, where a tool reads or lists several topics by name (kconsume, ktopic list):
// a shell glob ('clicks*', 'orders-[0-9]') or, as librdkafka and kcat subscribe, a regular
// expression starting with '^' ('^clicks-(eu|us)$'). Neither '*', '?', '[' nor '^' may appear in
// a topic name, so a name is never mistaken for a pattern.
#pragma once

#include <string>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

bool IsTopicPattern(const std::string& text);
// Whether `name` matches `pattern` (a glob must match the whole name; a regex, anywhere after
// its leading '^', as RE2 finds it; a plain name, exactly). An invalid regex matches nothing.
bool TopicMatches(const std::string& pattern, const std::string& name);
// Checks a pattern's syntax: InvalidArgument naming it and RE2's reason for a bad regex.
Status CheckTopicPattern(const std::string& pattern);
// Each of `wanted` in order, a pattern replaced by the `existing` topics it matches (sorted,
// internal topics starting with '_' only when the pattern itself starts so); each topic once.
// A pattern that matches nothing is NotFound, naming it.
Result<std::vector<std::string>> ResolveTopics(const std::vector<std::string>& wanted,
                                               std::vector<std::string> existing);

}  // namespace kt
