#pragma once
// What the kernel does once every hart is up: the self-test runner, the benchmarks or the
// demonstration, chosen by the kernel command line ("test", "bench", or nothing; see also
// kernel/test/panic_probes.hpp).

namespace rt {

void start_first_task(const char* bootargs);

}  // namespace rt
