#pragma once
// The real-time interval timer (setitimer(ITIMER_REAL), alarm): a kernel coroutine per armed
// timer sleeps to the deadline and sends SIGALRM, again every interval. Re-arming cancels the
// running one.
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

}  // namespace rt
