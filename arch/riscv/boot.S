/* Entry from OpenSBI: S-mode, MMU off, a0 = hart id, a1 = device tree (physical).
 * Turns on a boot page table (identity + kernel window + linear map, all gigapages), moves to
 * the kernel's virtual addresses and calls boot_main. Secondary harts come in through
 * secondary_entry (SBI HSM hart_start) with a1 = their Hart (virtual address). */
#include "arch/riscv/layout.h"

    .section .text.boot, "ax"
    .globl _start
_start:
    csrw    sie, zero
    csrw    sscratch, zero
    /* Zero .bss (physical addresses: lla is PC-relative). */
    lla     t0, __bss_start
    lla     t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  call    enable_boot_paging
    /* Now at kernel virtual addresses. */
    lla     sp, boot_stack_top
    mv      fp, zero
    /* a0, a1 preserved: boot_main(hartid, dtb_phys) */
    call    boot_main
3:  wfi
    j       3b

    .globl secondary_entry
secondary_entry:
    csrw    sie, zero
    csrw    sscratch, zero
    mv      s0, a1                  /* Hart* (virtual) */
    call    enable_boot_paging
    ld      sp, HART_BOOT_SP(s0)    /* top of this hart's first kernel-thread stack */
    mv      tp, s0
    mv      a0, s0
    mv      fp, zero                /* fp is s0: last */
    call    secondary_main
4:  wfi
    j       4b

/* Turns on boot_page_table and returns to the caller's address moved into the kernel window.
 * Clobbers t0-t2. Runs at physical addresses. */
enable_boot_paging:
    lla     t0, boot_page_table
    srli    t0, t0, 12
    li      t1, SATP_MODE_SV39
    or      t0, t0, t1
    sfence.vma
    csrw    satp, t0
    sfence.vma
    li      t1, KERNEL_VIRT_OFFSET
    add     ra, ra, t1
    ret

    .section .data
    .balign 4096
    .globl boot_page_table
boot_page_table:
    /* Entries are (PA >> 12) << 10 | flags. Gigapage n covers PA [n GiB, n+1 GiB). */
    .set    n, 0
    .rept   512
    .if n == 2
        /* Identity map of the first GiB of RAM, for the instruction after the satp write. */
        .dword  ((0x80000000 >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    .elseif n >= 256 && n < 256 + LINEAR_MAP_GIB
        /* The linear map of physical memory (devices and RAM). */
        .dword  (((n - 256) << 30 >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G
    .elseif n == 510
        /* The kernel window: KERNEL_VIRT -> 0x80000000. */
        .dword  ((0x80000000 >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G
    .else
        .dword  0
    .endif
    .set    n, n + 1
    .endr

    .section .bss
    .balign 16
boot_stack:
    .space  BOOT_STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
