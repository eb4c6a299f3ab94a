#pragma once
// In-kernel tests, run when the kernel boots with "test" on its command line. Each test is a
// coroutine (it may wait, sleep, or spread work over harts); the runner prints one line per
// test and the total `N passed, N failed`, then powers off with the verdict.
#include "kernel/async/task.hpp"
#include "kernel/console.hpp"

namespace rt {

class KTestContext {
public:
    void fail(const char* what, const char* file, int line) {
        ++m_failures;
        kprint("    FAILED: {} ({}:{})\n", what, file, line);
    }
    int failures() const { return m_failures; }

private:
    int m_failures = 0;
};

struct KTest {
    const char* name;
    Task<void> (*run)(KTestContext&);
};

}  // namespace rt

#define KTEST(name)                                                                     \
    static ::rt::Task<void> ktest_##name(::rt::KTestContext&);                            \
    [[gnu::section(".ktests"), gnu::used]] static const ::rt::KTest ktest_entry_##name{  \
        #name, &ktest_##name};                                                          \
    static ::rt::Task<void> ktest_##name([[maybe_unused]] ::rt::KTestContext& ktest_ctx)

// Records a failure and carries on.
#define KEXPECT(cond)                                   \
    do {                                                \
        if (!(cond)) ktest_ctx.fail(#cond, __FILE__, __LINE__); \
    } while (0)
// Records a failure and ends the test.
#define KASSERT(cond)                                   \
    do {                                                \
        if (!(cond)) {                                  \
            ktest_ctx.fail(#cond, __FILE__, __LINE__);          \
            co_return;                                  \
        }                                               \
    } while (0)
