#include "sbi.hpp"

namespace rt::sbi {

Result call(long ext, long fid, unsigned long a0, unsigned long a1, unsigned long a2) {
    register unsigned long r0 asm("a0") = a0;
    register unsigned long r1 asm("a1") = a1;
    register unsigned long r2 asm("a2") = a2;
    register long r6 asm("a6") = fid;
    register long r7 asm("a7") = ext;
    asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return {static_cast<long>(r0), static_cast<long>(r1)};
}

}  // namespace rt::sbi
