// kconsume --last N: the last N records of the topics, across partitions, in time order
// (kcat#104, #219). The source starts each partition N records before its end (--from
// offset:-N) and merges the partitions by timestamp, so the last N it hands out are the last N
// of all of them; this keeps a window of N and prints it at the end (or on SIGTERM/Ctrl-C).
// Runs without a group only: nothing is committed, so holding records back loses nothing.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "kt/run/transform.hpp"

namespace kt::kconsume {

class LastRecords : public Transform {
 public:
  explicit LastRecords(int64_t n) : n_(n) {}
  bool WantsValue() const override { return false; }
  Status Process(Input& in, Emitter& out) override;
  void Finish(Emitter& out) override { EmitKept(out); }
  void OnStop(Emitter& out) override { EmitKept(out); }

 private:
  // A record copied out of the source's memory (Record's views die with the next record).
  struct Kept {
    std::optional<std::string> key, value, wire_value;
    int64_t timestamp = -1;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::string topic;
    int32_t partition = -1;
    int64_t offset = -1;
  };
  void EmitKept(Emitter& out);

  int64_t n_;
  std::deque<Kept> kept_;
};

}  // namespace kt::kconsume
