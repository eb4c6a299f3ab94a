#pragma once
// The primitive user-memory accessors (user_copy.S). Callers check ranges first
// (kernel/mm/user_access.hpp); these only survive faults.
#include <cstddef>

namespace rt::arch {

struct UserAccess {
    unsigned long value;    // the result, or the faulting address
    unsigned long faulted;  // nonzero if a page fault stopped the access
};

extern "C" UserAccess user_copy(void* dst, const void* src, size_t n);
extern "C" UserAccess user_strnlen(const char* s, size_t max);
extern "C" UserAccess user_cmpxchg32(void* p, unsigned old_value, unsigned new_value);

// For kernel_trap: whether a kernel fault at `pc` happened inside the accessors, and where to
// resume then.
bool in_user_access(unsigned long pc);
unsigned long user_access_fixup_pc();

}  // namespace rt::arch
