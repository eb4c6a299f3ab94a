#include "runner.hpp"

#include "drivers/test_device.hpp"
#include "kernel/console.hpp"
#include "ktest.hpp"

extern "C" const rt::KTest __ktests_start[], __ktests_end[];

namespace rt {

Task<void> run_kernel_tests() {
    int passed = 0, failed = 0;
    for (const KTest* test = __ktests_start; test != __ktests_end; ++test) {
        KTestContext ctx;
        Task<void> body = test->run(ctx);
        if (!body.valid()) {
            kprint("FAIL {} (no memory for its frame)\n", test->name);
            ++failed;
            continue;
        }
        co_await std::move(body);
        kprint("{} {}\n", ctx.failures() ? "FAIL" : "ok  ", test->name);
        ++(ctx.failures() ? failed : passed);
    }
    kprint("{} passed, {} failed\n", passed, failed);
    test_device::power_off(failed == 0, 1);
}

}  // namespace rt
