#pragma once
// timerfd: a timer as a file. Reading it answers how many times it expired since the last
// read (waiting while none); it is readable once it has expired. An armed timer has a kernel
// coroutine that sleeps to each expiry; re-arming or closing cancels it.
#include "file.hpp"

namespace rt {

struct TimerCore;

class TimerFd final : public File {
public:
    static constexpr FileKind kKind{"timerfd"};
    struct Setting {
        uint64_t value_ns;     // until the next expiry; 0: disarmed
        uint64_t interval_ns;  // then every this often; 0: once
    };

    // A new timer on a clock that is `clock_offset_ns` ahead of the monotonic one (absolute
    // times are on it), with open flags `flags`; nullptr if no memory.
    static TimerFd* create(uint64_t clock_offset_ns, uint32_t flags);
    ~TimerFd() override;

    // timerfd_settime: arms it (value_ns after now, or at value_ns on its clock if
    // `absolute`; an absolute time past is an expiry now) or disarms it (value_ns 0), and
    // forgets expirations not read. Answers the setting it had. ENOMEM.
    ErrorOr<Setting> set(Setting s, bool absolute);
    Setting get();

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override;
    Stat stat() const override;
    uint32_t poll() const override;
    WaitQueue* readiness() override;
    const FileKind* kind() const override { return &kKind; }

private:
    TimerFd(TimerCore* core, uint32_t flags) : File(flags), m_core(core) {}
    TimerCore* m_core;  // shared with the armed timer's coroutine
};

}  // namespace rt
