#pragma once
#include "kernel/async/task.hpp"

namespace rt {

// `make bench`: the async core's costs, measured with the time CSR, printed with ratios.
Task<void> run_benchmarks();

}  // namespace rt
