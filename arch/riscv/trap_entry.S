/* Trap entry and exit, entering user mode, and the kernel-thread context switch.
 *
 * sscratch is 0 while the hart runs the kernel and points at the running thread's UserFrame
 * while it runs user code, so the first instruction of the vector tells the two apart.
 *
 * A trap in S-mode pushes a TrapFrame (see trap.hpp) on the interrupted stack and calls
 * kernel_trap(frame); on return it restores everything and srets. kernel_trap may switch to a
 * higher-priority kernel thread first; this thread resumes here when it is switched back.
 *
 * A trap in U-mode saves the user's registers into the UserFrame and returns from the
 * enter_user() call that started the user code, on the same kernel stack: no kernel stack is
 * kept per user thread. */

#define FRAME_SIZE (36 * 8)
#define REG(n) (n * 8)
#define SEPC    (32 * 8)
#define SSTATUS (33 * 8)
#define SCAUSE  (34 * 8)
#define STVAL   (35 * 8)
#define KERNEL_SP (36 * 8)
#define KERNEL_TP (37 * 8)
#define CALLEE_SAVED (14 * 8)

    .section .text.hot, "ax"  /* with the rest of the hot path: kernel/lib/platform.hpp */
    .balign 4
    .globl kernel_trap_vector
kernel_trap_vector:
    csrrw   tp, sscratch, tp
    bnez    tp, trap_from_user
from_kernel:
    csrrw   tp, sscratch, tp        /* from the kernel: tp back, sscratch 0 again */
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

/* unsigned long enter_user(UserFrame* frame): runs user code until it traps; returns scause.
 * Called with interrupts disabled; the sret enables them for the user (SPIE in the frame). */
    .globl enter_user
enter_user:
    addi    sp, sp, -CALLEE_SAVED
    sd      ra, 0(sp)
    .set i, 0
    .irp r, s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11
    sd      \r, (8 + 8 * i)(sp)
    .set i, i + 1
    .endr
    sd      sp, KERNEL_SP(a0)
    sd      tp, KERNEL_TP(a0)
    csrw    sscratch, a0
    ld      t0, SEPC(a0)
    csrw    sepc, t0
    ld      t0, SSTATUS(a0)
    csrw    sstatus, t0
    ld      x1, REG(1)(a0)
    .irp n, 2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, REG(\n)(a0)
    .endr
    ld      a0, REG(10)(a0)
    sret

trap_from_user:
    /* tp = UserFrame, sscratch = the user's tp. A trap from S-mode here would be a trap in the
     * few instructions of enter_user after sscratch is set: take it as a kernel trap (which
     * reports it), with sscratch cleared so the report does not recurse. */
    sd      t0, REG(5)(tp)
    csrr    t0, sstatus
    andi    t0, t0, 1 << 8          /* SPP */
    beqz    t0, 1f
    ld      t0, REG(5)(tp)
    csrrw   tp, sscratch, tp
    csrw    sscratch, zero
    j       from_kernel + 4
1:  csrr    t0, scause
    addi    t0, t0, -8              /* an ecall from U-mode? */
    beqz    t0, quick_call
full_save:
    sd      x1, REG(1)(tp)
    .irp n, 2,3,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, REG(\n)(tp)
    .endr
    csrrw   t0, sscratch, zero
    sd      t0, REG(4)(tp)
    csrr    t0, sepc
    sd      t0, SEPC(tp)
    csrr    a0, scause
save_trap_csrs:                     /* a0: the cause the user loop is to see */
    csrr    t0, sstatus
    sd      t0, SSTATUS(tp)
    sd      a0, SCAUSE(tp)
    csrr    t0, stval
    sd      t0, STVAL(tp)
    ld      sp, KERNEL_SP(tp)
    ld      tp, KERNEL_TP(tp)
    ld      ra, 0(sp)
    .set i, 0
    .irp r, s0,s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11
    ld      \r, (8 + 8 * i)(sp)
    .set i, i + 1
    .endr
    addi    sp, sp, CALLEE_SAVED
    ret

/* A system call from user mode first tries the quick path: only the registers a C call may
 * clobber are saved (the callee-saved ones stay live in the registers), and user_quick_trap
 * runs the call on the kernel stack without leaving enter_user. It returns 0 when the thread
 * can go straight back to user mode; otherwise the cause the user loop is to see, and the
 * rest of the registers are saved as on the full path. */
quick_call:
    sd      x1, REG(1)(tp)
    .irp n, 2,6,7,8,10,11,12,13,14,15,16,17,28,29,30,31
    sd      x\n, REG(\n)(tp)
    .endr
    csrrw   t0, sscratch, zero
    sd      t0, REG(4)(tp)
    csrr    t0, sepc
    sd      t0, SEPC(tp)
    mv      s0, tp
    ld      sp, KERNEL_SP(s0)
    ld      tp, KERNEL_TP(s0)
    mv      a0, s0
    call    user_quick_trap
    mv      tp, s0
    bnez    a0, 2f
    ld      t0, SEPC(tp)
    csrw    sepc, t0
    csrw    sscratch, tp
    ld      x1, REG(1)(tp)
    .irp n, 2,5,6,7,8,10,11,12,13,14,15,16,17,28,29,30,31
    ld      x\n, REG(\n)(tp)
    .endr
    ld      tp, REG(4)(tp)
    sret
2:  .irp n, 3,9,18,19,20,21,22,23,24,25,26,27
    sd      x\n, REG(\n)(tp)
    .endr
    j       save_trap_csrs

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
