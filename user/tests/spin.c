/* Loops forever without a system call: only the timer can take the hart back from it. */
void _start(void) {
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}
