#pragma once
// The interval timers. The real-time one (setitimer(ITIMER_REAL), alarm): a kernel coroutine
// per armed timer sleeps to the deadline and sends SIGALRM, again every interval; re-arming
// cancels the running one. The CPU-time ones (ITIMER_VIRTUAL: user time, SIGVTALRM;
// ITIMER_PROF: user and system time, SIGPROF) are checked as the process's time is charged.
#include <cstdint>

#include "process.hpp"

namespace rt {

struct ItimerValue {
    uint64_t value_ns;     // until the next expiry; 0 = disarmed
    uint64_t interval_ns;  // then every this often; 0 = once
};

// Arms (or with value_ns == 0 disarms) p's real timer; returns what was left of the old one.
ErrorOr<ItimerValue> set_real_timer(Process& p, ItimerValue v);
ItimerValue get_real_timer(Process& p);
// The process is ending: its timer goes with it.
void cancel_real_timer(Process& p);

enum class CpuClock { Virtual = 0, Prof = 1 };
// Arms (or disarms) one of p's CPU-time timers; returns what was left of the old one.
ItimerValue set_cpu_timer(Process& p, CpuClock which, ItimerValue v);
ItimerValue get_cpu_timer(Process& p, CpuClock which);
// After CPU time was charged to p: sends the signals of the CPU-time timers that expired.
void check_cpu_timers(Process& p);

}  // namespace rt
