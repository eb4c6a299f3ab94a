#include "start.hpp"

#include "bootargs.hpp"
#include "kernel/bench/bench.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/kthread.hpp"
#include "kernel/test/panic_probes.hpp"
#include "kernel/test/runner.hpp"
#include "demo.hpp"

namespace rt {

void start_first_task(const char* bootargs) {
    Task<void> first = panic_probe(bootargs);
    if (!first.valid()) {
        first = has_bootarg(bootargs, "test")    ? run_kernel_tests()
                : has_bootarg(bootargs, "bench") ? run_benchmarks()
                                                 : run_demo();
    }
    if (spawn(std::move(first), executor(Priority::Normal)).is_error()) panic("no memory for the first task");
}

}  // namespace rt
