/* A program that dereferences a bad pointer: the kernel must kill it with SIGSEGV and stay up. */
void _start(void) {
    *(volatile int*)0x10 = 1;
    for (;;) {
    }
}
