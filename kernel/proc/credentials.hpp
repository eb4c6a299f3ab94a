#pragma once
// A process's user and group ids (real, effective, saved, file-system) and supplementary
// groups. Root (effective uid 0) may change them freely; others only among their own ids.
#include <cstdint>

namespace rt {

// One kind of id (user or group) as Linux keeps it.
struct IdSet {
    uint32_t real = 0, effective = 0, saved = 0, fs = 0;
    bool has(uint32_t id) const { return id == real || id == effective || id == saved; }
};

struct Credentials {
    IdSet uid, gid;
    static constexpr unsigned kMaxGroups = 32;
    uint32_t groups[kMaxGroups] = {};
    unsigned group_count = 0;

    bool privileged() const { return uid.effective == 0; }
    // Whether a process with these credentials may signal one with `target`'s (kill(2)).
    bool may_signal(const Credentials& target) const {
        return privileged() || uid.real == target.uid.real || uid.real == target.uid.saved ||
               uid.effective == target.uid.real || uid.effective == target.uid.saved;
    }
};

}  // namespace rt
