#include "start.hpp"

#include <cstring>

#include "drivers/test_device.hpp"
#include "kernel/bench/bench.hpp"
#include "kernel/console.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/kthread.hpp"
#include "kernel/test/runner.hpp"
#include "demo.hpp"

namespace rt {
namespace {

bool has_word(const char* args, const char* word) {
    size_t n = strlen(word);
    for (const char* p = args; *p;) {
        while (*p == ' ') ++p;
        const char* end = p;
        while (*end && *end != ' ') ++end;
        if (size_t(end - p) == n && strncmp(p, word, n) == 0) return true;
        p = end;
    }
    return false;
}

}  // namespace

void start_first_task(const char* bootargs) {
    Task<void> first = has_word(bootargs, "test")    ? run_kernel_tests()
                       : has_word(bootargs, "bench") ? run_benchmarks()
                                                     : run_demo();
    if (spawn(std::move(first), executor(Priority::Normal)).is_error()) panic("no memory for the first task");
}

}  // namespace rt
