#pragma once
// The registers a trap saves. Kernel traps push one on the interrupted stack.
#include <cstddef>
#include <cstdint>

namespace rt::arch {

struct TrapFrame {
    unsigned long regs[32];  // x0..x31 (x0 slot unused); regs[2] is the interrupted sp
    unsigned long sepc;
    unsigned long sstatus;
    unsigned long scause;
    unsigned long stval;
};
static_assert(sizeof(TrapFrame) == 36 * 8);

// Callee-saved state of a kernel thread that is not running.
struct Context {
    unsigned long ra, sp, s[12];
};

extern "C" void switch_context(Context* from, const Context* to);
// A new thread's first return lands here: it calls s2(s1).
extern "C" void thread_trampoline();

void install_trap_vector();
const char* cause_name(unsigned long scause);

}  // namespace rt::arch
