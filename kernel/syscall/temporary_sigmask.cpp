#include "temporary_sigmask.hpp"

#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"

namespace rt::sys {

ErrorOr<void> begin_temporary_sigmask(Thread& t, uint64_t addr, uint64_t size) {
    if (!addr) return {};
    if (size != sizeof(uint64_t)) return Error(Errno::INVAL);
    uint64_t mask;
    TRY(UserPtr<uint64_t>(addr).read(*t.process->space, mask));
    t.saved_blocked = t.blocked;
    t.restore_blocked = true;
    t.blocked = mask & ~kUnblockable;
    // A signal the new mask lets through may have been pending all along: nobody cancelled
    // the thread's waits for it, so it does so itself.
    if (has_deliverable_signal(t)) t.cancel.cancel();
    return {};
}

long end_temporary_sigmask(Thread& t, long result) {
    if (!t.restore_blocked) return result;
    // Kept for the handler a signal that interrupted the call is about to get.
    if (result == -static_cast<long>(Errno::RESTARTNOHAND)) return result;
    if (result == -static_cast<long>(Errno::INTR) && has_deliverable_signal(t)) return result;
    t.blocked = t.saved_blocked;
    t.restore_blocked = false;
    // A cancellation for a signal the old mask blocks again must not end the next wait.
    t.cancel.reset();
    return result;
}

}  // namespace rt::sys
