#include "kt/kafka/topic_pattern.hpp"

#include <catch2/catch.hpp>

using Topics = std::vector<std::string>;

TEST_CASE("topic patterns: names, shell globs and ^regexes") {
  CHECK_FALSE(kt::IsTopicPattern("clicks.v1-eu_2"));
  CHECK(kt::IsTopicPattern("clicks*"));
  CHECK(kt::IsTopicPattern("t?"));
  CHECK(kt::IsTopicPattern("t[12]"));
  CHECK(kt::IsTopicPattern("^clicks"));

  CHECK(kt::TopicMatches("clicks", "clicks"));
  CHECK_FALSE(kt::TopicMatches("clicks", "clicks2"));
  CHECK(kt::TopicMatches("clicks*", "clicks_clean"));
  CHECK_FALSE(kt::TopicMatches("clicks*", "my-clicks"));  // a glob matches the whole name
  CHECK(kt::TopicMatches("^clicks-(eu|us)$", "clicks-eu"));
  CHECK_FALSE(kt::TopicMatches("^clicks-(eu|us)$", "clicks-eu2"));
  CHECK(kt::TopicMatches("^c", "clicks"));  // a regex as librdkafka's: anchored only where it says
  CHECK_FALSE(kt::TopicMatches("^(", "("));

  CHECK(kt::CheckTopicPattern("^clicks.*").ok());
  CHECK(kt::CheckTopicPattern("clicks*").ok());
  auto bad = kt::CheckTopicPattern("^(");
  CHECK(bad.IsInvalidArgument());
  CHECK(bad.message().rfind("topic pattern '^(': ", 0) == 0);
}

TEST_CASE("ResolveTopics: in the order asked, patterns sorted, each topic once, no match an error") {
  Topics existing = {"orders", "clicks-us", "__consumer_offsets", "clicks-eu", "_schemas"};
  auto r = kt::ResolveTopics({"orders", "clicks-*", "clicks-eu"}, existing);
  REQUIRE(r.ok());
  CHECK(*r == Topics{"orders", "clicks-eu", "clicks-us"});
  // A name is kept whether it exists or not: the reader says so with its own message.
  CHECK(*kt::ResolveTopics({"missing"}, existing) == Topics{"missing"});
  // Internal topics only for a pattern that starts with '_'.
  CHECK(*kt::ResolveTopics({"*s"}, existing) == Topics{"clicks-us", "orders"});
  CHECK(*kt::ResolveTopics({"^_"}, existing) == Topics{"__consumer_offsets", "_schemas"});
  CHECK(*kt::ResolveTopics({"_*"}, existing) == Topics{"__consumer_offsets", "_schemas"});
  auto none = kt::ResolveTopics({"orders", "payments*"}, existing);
  CHECK(none.status().IsNotFound());
  CHECK(none.status().message() == "no topic matches 'payments*'");
  CHECK(kt::ResolveTopics({"^("}, existing).status().IsInvalidArgument());
}
