/* The address-space layout and page-table bits, shared by assembly and C++. */
#pragma once

#define KERNEL_VIRT_OFFSET 0xffffffff00000000   /* kernel image VA - PA */
#define LINEAR_MAP_BASE    0xffffffc000000000   /* VA of physical address 0 */
#define LINEAR_MAP_GIB     16                   /* physical space the linear map covers */
#define SATP_MODE_SV39     0x8000000000000000
#define BOOT_STACK_SIZE    16384
#define KSTACK_SIZE        16384                /* each priority kernel thread's stack */

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)

/* Offsets into struct Hart used by assembly (checked by static_assert in hart.hpp). */
#define HART_BOOT_SP 0
