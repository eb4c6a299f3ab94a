/* The vDSO image (built from vdso/ by the kernel's CMake rule), page-aligned so its pages can
 * be mapped into processes straight from the kernel image. */
    .section .rodata.vdso, "a"
    .balign 4096
    .globl vdso_image_start, vdso_image_end
vdso_image_start:
    .incbin "vdso.so"
vdso_image_end:
    .balign 4096
