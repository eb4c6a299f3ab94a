#pragma once
#include "kernel/async/task.hpp"

namespace rt {

// `make run` at this stage: a short self-demonstration of the async core, then power off.
Task<void> run_demo();

}  // namespace rt
