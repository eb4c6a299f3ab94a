/* The signal trampoline: a handler returns here, and this asks the kernel to restore the
 * interrupted context from the signal frame (rt_sigreturn, 139). */
    .text
    .globl __vdso_rt_sigreturn
    .type __vdso_rt_sigreturn, @function
__vdso_rt_sigreturn:
    li      a7, 139
    ecall
    .size __vdso_rt_sigreturn, . - __vdso_rt_sigreturn
