// How a stateful tool runs (ktable, kwindow, kscore --zscore/--ewma, kjoin's co-partitioned
// joins): planned by PlanStateful (app/stateful_plan.hpp), its changelog created or checked,
// its state opened, then one stage, or its re-keying stages and the stateful stage, each on its
// own Runner and thread (app/repartition.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "kt/app/run_plan.hpp"
#include "kt/app/stateful_plan.hpp"
#include "kt/expr/expr.hpp"
#include "kt/run/transform.hpp"
#include "kt/state/partitioned_state.hpp"

namespace kt {

// The expressions a Transform groups each input side by itself (Record::input indexes it;
// nullopt: the record key, which a re-keying stage may have set). One per side of the intent.
using SideKeys = std::vector<std::optional<expr::Expr>>;

// Makes the stateful Transform from its state and its side keys.
using StatefulFactory =
    std::function<std::unique_ptr<Transform>(std::unique_ptr<PartitionedState>, SideKeys)>;

// Runs `intent` on `run`. Returns the process exit code; errors are logged.
int RunStateful(const RunPlan& run, const StatefulIntent& intent, const StatefulFactory& make);

// The state of a planned run: memory without a changelog; else the changelog created (or
// checked: partitions, compaction) and the stores under the plan's directory.
Result<std::unique_ptr<PartitionedState>> OpenState(const StatefulPlan& plan);

}  // namespace kt
