/* Kernel trap entry and exit, and the kernel-thread context switch.
 * A trap in S-mode pushes a TrapFrame (see trap.hpp) on the interrupted stack and calls
 * kernel_trap(frame); on return it restores everything and srets. kernel_trap may switch to a
 * higher-priority kernel thread first; this thread resumes here when it is switched back. */

#define FRAME_SIZE (36 * 8)
#define REG(n) (n * 8)
#define SEPC    (32 * 8)
#define SSTATUS (33 * 8)
#define SCAUSE  (34 * 8)
#define STVAL   (35 * 8)

    .section .text
    .balign 4
    .globl kernel_trap_vector
kernel_trap_vector:
    addi    sp, sp, -FRAME_SIZE
    sd      x1, REG(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, REG(\n)(sp)
    .endr
    addi    t0, sp, FRAME_SIZE
    sd      t0, REG(2)(sp)
    csrr    t0, sepc
    sd      t0, SEPC(sp)
    csrr    t0, sstatus
    sd      t0, SSTATUS(sp)
    csrr    t0, scause
    sd      t0, SCAUSE(sp)
    csrr    t0, stval
    sd      t0, STVAL(sp)
    mv      a0, sp
    call    kernel_trap
    ld      t0, SEPC(sp)
    csrw    sepc, t0
    ld      t0, SSTATUS(sp)
    csrw    sstatus, t0
    ld      x1, REG(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, REG(\n)(sp)
    .endr
    addi    sp, sp, FRAME_SIZE
    sret

/* switch_context(Context* from, const Context* to) */
    .globl switch_context
switch_context:
    sd      ra, 0(a0)
    sd      sp, 8(a0)
    .set i, 0
    .irp r, s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11
    sd      \r, (16 + 8 * i)(a0)
    .set i, i + 1
    .endr
    ld      ra, 0(a1)
    ld      sp, 8(a1)
    .set i, 0
    .irp r, s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11
    ld      \r, (16 + 8 * i)(a1)
    .set i, i + 1
    .endr
    ret

    .globl thread_trampoline
thread_trampoline:
    mv      a0, s1
    jalr    s2
1:  j       1b
