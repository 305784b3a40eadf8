// How a stateful tool runs (ktable, kwindow, kscore --zscore/--ewma, kjoin's co-partitioned
// joins): planned by PlanStateful (app/stateful_plan.hpp), its changelog created or checked,
// its state opened, then one stage, or its re-keying stages and the stateful stage, each on its
// own Runner and thread (app/repartition.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "kt/app/run_plan.hpp"
#include "kt/app/stateful_plan.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"
#include "kt/state/partitioned_state.hpp"

namespace kt {

// Makes the stateful Transform from its state and the expression it must group by itself
// (nullopt: by the record key, which the re-keying stage has set).
using StatefulFactory =
    std::function<std::unique_ptr<Transform>(std::unique_ptr<PartitionedState>, std::optional<expr::Expr>)>;

// Runs `intent` on `run`. Returns the process exit code; errors are logged.
int RunStateful(const RunPlan& run, const StatefulIntent& intent, const StatefulFactory& make);

// The state of a planned run: memory without a changelog; else the changelog created (or
// checked: partitions, compaction) and the stores under the plan's directory.
Result<std::unique_ptr<PartitionedState>> OpenState(const StatefulPlan& plan);

}  // namespace kt
