#pragma once
// Control and status registers, and the few instructions C++ cannot express.
#include <cstdint>

#define RT_CSR_READ(name)                                    \
    ({                                                       \
        unsigned long _v;                                    \
        asm volatile("csrr %0, " #name : "=r"(_v)::"memory"); \
        _v;                                                  \
    })
#define RT_CSR_WRITE(name, v) asm volatile("csrw " #name ", %0" ::"rK"(v) : "memory")
#define RT_CSR_SET(name, v) asm volatile("csrs " #name ", %0" ::"rK"(v) : "memory")
#define RT_CSR_CLEAR(name, v) asm volatile("csrc " #name ", %0" ::"rK"(v) : "memory")

namespace rt::arch {

inline constexpr unsigned long kSstatusSIE = 1ul << 1;
inline constexpr unsigned long kSstatusSPIE = 1ul << 5;
inline constexpr unsigned long kSstatusSPP = 1ul << 8;
inline constexpr unsigned long kSstatusFSInitial = 1ul << 13;
inline constexpr unsigned long kSstatusSUM = 1ul << 18;

inline constexpr unsigned long kSipSSIP = 1ul << 1;  // software (IPI)
inline constexpr unsigned long kSipSTIP = 1ul << 5;  // timer
inline constexpr unsigned long kSipSEIP = 1ul << 9;  // external (PLIC)

inline constexpr unsigned long kCauseInterrupt = 1ul << 63;
enum InterruptCause : unsigned long { kIrqSoftware = 1, kIrqTimer = 5, kIrqExternal = 9 };

// Reads before it writes: a lock taken with interrupts already off (most, on the system-call
// path) then writes no CSR, and under QEMU an sstatus write costs far more than a read.
inline unsigned long irq_save() {
    unsigned long s;
    asm volatile("csrr %0, sstatus" : "=r"(s)::"memory");
    if (s & kSstatusSIE) asm volatile("csrci sstatus, 2" ::: "memory");
    return s & kSstatusSIE;
}
inline void irq_restore(unsigned long s) {
    if (s) asm volatile("csrsi sstatus, 2" ::: "memory");
}
inline void irq_enable() { asm volatile("csrsi sstatus, 2" ::: "memory"); }
inline void irq_disable() { asm volatile("csrci sstatus, 2" ::: "memory"); }
inline bool irq_enabled() { return RT_CSR_READ(sstatus) & kSstatusSIE; }

inline uint64_t rdtime() {
    uint64_t t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}
inline uint64_t rdcycle() {
    uint64_t t;
    asm volatile("rdcycle %0" : "=r"(t));
    return t;
}
inline void wfi() { asm volatile("wfi" ::: "memory"); }
inline void sfence_vma() { asm volatile("sfence.vma" ::: "memory"); }
inline void pause() { asm volatile(".insn i 0x0f, 0, x0, x0, 0x010"); }  // Zihintpause

}  // namespace rt::arch
