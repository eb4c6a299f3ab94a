#pragma once
// PollSet: waits until any of several files is ready (poll, select). A WaitCallback on each
// file's readiness queue sets one Event; the caller scans the files, and if none is ready,
// waits for the event and scans again. Nothing is polled in a loop.
#include <cstddef>

#include "file.hpp"
#include "kernel/async/event.hpp"
#include "kernel/async/wait_callback.hpp"

namespace rt {

class PollSet {
public:
    // Room for `capacity` files; check valid() (no memory otherwise).
    explicit PollSet(size_t capacity);
    ~PollSet();
    PollSet(const PollSet&) = delete;
    PollSet& operator=(const PollSet&) = delete;
    bool valid() const { return m_items || !m_capacity; }

    // Entry `index` asks for `events` (kPoll* bits; errors and hang-ups always count).
    void set_events(size_t index, uint32_t events);

    // Starts a scan: from here on any readiness change of the files seen ends the next wait.
    void begin_scan();
    // Entry `index`'s readiness now, filtered by what it asked for. `current` is the file its
    // descriptor names now (each scan looks again, as Linux does: a descriptor closed or
    // replaced meanwhile counts as it is now); empty is kPollNval.
    uint32_t ready(size_t index, FileRef current);
    // Waits for a readiness change since begin_scan (Woken at once if there was one), the
    // deadline (TimedOut) or `cancel` (Cancelled).
    auto wait(uint64_t deadline_ns, Cancellation* cancel) noexcept {
        return m_changed.wait({.deadline_ns = deadline_ns, .cancel = cancel});
    }

private:
    struct Item {
        Item(PollSet* set) : callback(&on_notify, set) {}
        FileRef file;
        uint32_t events = 0;
        WaitCallback callback;
    };
    static bool on_notify(void* set, uint32_t events);

    Item* m_items = nullptr;
    size_t m_capacity;
    Event m_changed;
};

}  // namespace rt
