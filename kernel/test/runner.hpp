#pragma once
#include "kernel/async/task.hpp"

namespace rt {

// Runs every KTEST in the image, prints `N passed, N failed` and powers off with the verdict.
Task<void> run_kernel_tests();

}  // namespace rt
