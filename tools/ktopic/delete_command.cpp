// ktopic delete TOPIC...: topics and all their records, after a confirmation.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "kt/core/log.hpp"
#include "kt/io/confirm.hpp"

namespace kt::ktopic {

namespace {

class DeleteCommand : public Command {
 public:
  std::string Name() const override { return "delete"; }
  std::string Summary() const override { return "Delete topics and all their records"; }
  void Setup(CLI::App& sub) override {
    sub.add_option("topics", topics_, "The topics")->required();
    sub.add_flag("-y,--yes", yes_, "Do not ask for confirmation (needed when not on a terminal)");
    sub.add_flag("--if-exists", if_exists_, "A missing topic is no error");
  }
  Status Run(const CommandContext& ctx) override {
    std::vector<std::string> doomed;
    for (auto& t : topics_) {
      Status error;
      if (Exists(ctx.kafka, t, &error))
        doomed.push_back(t);
      else if (!error.ok())
        return error;
      else if (!if_exists_)
        return Status::KafkaError("topic '" + t + "' does not exist (nothing deleted)");
    }
    if (doomed.empty()) return Status::Ok();
    std::string names;
    for (auto& t : doomed) names += (names.empty() ? "'" : ", '") + t + "'";
    if (Status s = Confirm("delete " + names + " and all their records", yes_); !s.ok()) return s;
    for (auto& t : doomed) {
      if (Status s = DeleteTopic(ctx.kafka, ctx.tool, t); !s.ok()) return s;
      if (!ctx.common->quiet) LogInfo(ctx.tool, "deleted topic " + t);
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string> topics_;
  bool yes_ = false, if_exists_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDeleteCommand() { return std::make_unique<DeleteCommand>(); }

}  // namespace kt::ktopic
