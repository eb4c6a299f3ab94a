#pragma once
// A kernel panic: a bug in the kernel, never a reaction to user or device input. Prints the
// message, the registers when a trap caused it, and a frame-pointer backtrace (symbolised by
// scripts/symbolize), then powers off with a failure status.

namespace rt {
namespace arch {
struct TrapFrame;
}

[[noreturn]] void panic(const char* msg);
[[noreturn]] void panic_trap(const char* msg, const arch::TrapFrame& frame);

}  // namespace rt

#define RT_ASSERT(cond)                                                               \
    do {                                                                              \
        if (!(cond)) ::rt::panic("assertion failed: " #cond " at " __FILE__ ":" RT_STR(__LINE__)); \
    } while (0)
#define RT_STR2(x) #x
#define RT_STR(x) RT_STR2(x)
