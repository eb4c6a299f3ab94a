/* Copies between kernel and user memory with sstatus.SUM set for the copy alone. A fault
 * inside [user_access_begin, user_access_end) does not panic: kernel_trap resumes at
 * user_access_fixup with the faulting address in a0.
 *
 * Both return a UserAccess {value, faulted} in a0/a1 (see arch/riscv/user_copy.hpp):
 *   user_copy(dst, src, n)    value 0 on success
 *   user_strnlen(s, max)      value = length (max if no NUL within max)
 *   user_cmpxchg32(p, old, new)  value = the word's value before (stored new if it was old)
 * and on a fault value = the faulting address, faulted = 1. */

#define SUM (1 << 18)

    .section .text
    .globl user_copy, user_strnlen, user_cmpxchg32, user_access_begin, user_access_end, user_access_fixup
user_copy:
    li      t1, SUM
    csrs    sstatus, t1
user_access_begin:
    or      t2, a0, a1
    andi    t2, t2, 7
    bnez    t2, 2f
1:  li      t2, 8
    bltu    a2, t2, 2f
    ld      t0, 0(a1)
    sd      t0, 0(a0)
    addi    a0, a0, 8
    addi    a1, a1, 8
    addi    a2, a2, -8
    j       1b
2:  beqz    a2, 3f
    lbu     t0, 0(a1)
    sb      t0, 0(a0)
    addi    a0, a0, 1
    addi    a1, a1, 1
    addi    a2, a2, -1
    j       2b
3:  csrc    sstatus, t1
    li      a0, 0
    li      a1, 0
    ret

user_cmpxchg32:
    li      t1, SUM
    csrs    sstatus, t1
    sext.w  a1, a1          /* lr.w sign-extends what it loads */
6:  lr.w.aqrl t0, (a0)
    bne     t0, a1, 7f
    sc.w.rl t2, a2, (a0)
    bnez    t2, 6b
7:  csrc    sstatus, t1
    slli    a0, t0, 32
    srli    a0, a0, 32
    li      a1, 0
    ret

user_strnlen:
    li      t1, SUM
    csrs    sstatus, t1
    mv      t2, a0
4:  beqz    a1, 5f
    lbu     t0, 0(a0)
    beqz    t0, 5f
    addi    a0, a0, 1
    addi    a1, a1, -1
    j       4b
user_access_end:
5:  csrc    sstatus, t1
    sub     a0, a0, t2
    li      a1, 0
    ret

user_access_fixup:
    li      t1, SUM
    csrc    sstatus, t1
    li      a1, 1
    ret
