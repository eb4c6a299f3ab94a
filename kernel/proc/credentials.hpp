#pragma once
// A process's user and group ids (real, effective, saved, file-system) and supplementary
// groups. Root (effective uid 0) may change them freely; others only among their own ids.
#include <cstdint>

namespace rt {

struct Credentials {
    uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
    uint32_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
    static constexpr unsigned kMaxGroups = 32;
    uint32_t groups[kMaxGroups] = {};
    unsigned group_count = 0;

    bool privileged() const { return euid == 0; }
    // Whether a process with these credentials may signal one with `target`'s (kill(2)).
    bool may_signal(const Credentials& target) const {
        return privileged() || ruid == target.ruid || ruid == target.suid || euid == target.ruid ||
               euid == target.suid;
    }
};

}  // namespace rt
