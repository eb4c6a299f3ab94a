#include "start.hpp"

#include "bootargs.hpp"
#include "drivers/test_device.hpp"
#include "kernel/console.hpp"
#include "kernel/fs/executable.hpp"
#include "kernel/proc/exec.hpp"
#include "kernel/bench/bench.hpp"
#include "kernel/panic.hpp"
#include "kernel/sched/kthread.hpp"
#include "kernel/test/panic_probes.hpp"
#include "kernel/test/runner.hpp"
#include "demo.hpp"

namespace rt {
namespace {

// init=PATH: the first process; the system ends when it does, with its status as the verdict.
Task<void> run_init(const char* path) {
    Executable file, interp;
    {
        PathRef root = root_path();
        const Credentials root_creds{};
        WalkContext ctx{root, root, root_creds, nullptr};
        auto r = read_executable(ctx, path, file);
        if (!r.is_error()) r = read_interpreter(ctx, file, interp);
        if (r.is_error()) {
            kprint("riptide: init {} cannot be run (error {})\n", path, int(r.error().code));
            test_device::power_off(false, 0x7f);
        }
    }
    const char* argv[] = {path, nullptr};
    const char* envp[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=vt100", nullptr};
    ProgramArgs args{path, argv, envp};
    args.interp = interp.data;
    args.interp_size = interp.size;
    args.image_object = file.object;
    args.interp_object = interp.object;
    auto p = spawn_program(file.data, file.size, args, executor(Priority::Normal));
    if (!p.is_error()) set_program_identity(*p.value(), static_cast<PathRef&&>(file.where), argv, path);
    if (p.is_error()) {
        kprint("riptide: cannot start init {} (error {})\n", path, int(p.error().code));
        test_device::power_off(false, 0x7f);
    }
    co_await p.value()->exited.wait();
    int status = p.value()->exit_status;
    kprint("riptide: init exited with status {}, powering off\n", status);
    // A clean exit passes; an exit code or a fatal signal fails with that number.
    test_device::power_off(status == 0, static_cast<uint16_t>(status >> 8 ? status >> 8 : status & 0x7f));
}

char g_init_path[256];

}  // namespace

void start_first_task(const char* bootargs) {
    Task<void> first = panic_probe(bootargs);
    if (!first.valid() && bootarg_value(bootargs, "init", g_init_path, sizeof g_init_path))
        first = run_init(g_init_path);
    if (!first.valid()) {
        first = has_bootarg(bootargs, "test")    ? run_kernel_tests()
                : has_bootarg(bootargs, "bench") ? run_benchmarks()
                                                 : run_demo();
    }
    if (spawn(std::move(first), executor(Priority::Normal)).is_error()) panic("no memory for the first task");
}

}  // namespace rt
