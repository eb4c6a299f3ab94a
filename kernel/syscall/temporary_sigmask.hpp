#pragma once
// ppoll, pselect6 and epoll_pwait wait with a signal mask of the caller's choosing. If a
// signal interrupts the wait, the mask stays until its handler has been set up (the handler's
// frame keeps the mask from before, as for rt_sigsuspend) or the call is restarted; otherwise
// the mask from before comes back as the call ends.
#include "handlers.hpp"

namespace rt::sys {

// Reads the sigset_t at `addr` (`size` must be 8) and makes it the thread's mask; nothing
// for a null `addr`. EINVAL or EFAULT, leaving the mask alone.
ErrorOr<void> begin_temporary_sigmask(Thread& t, uint64_t addr, uint64_t size);
// The call ends with `result`: unless a signal interrupted it, the old mask comes back.
long end_temporary_sigmask(Thread& t, long result);

}  // namespace rt::sys
