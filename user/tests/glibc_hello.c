/* An ordinary static C program (glibc or musl): the C library's start-up, stdio and exit must
 * work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

int main(int argc, char** argv) {
    check_program = TEST_NAME("hello");
    char* heap = malloc(100000);
    if (!heap) return 2;
    memset(heap, 'x', 100000);
    printf("%s: pid %d, %d arguments, first '%s', heap ok\n", check_program, getpid(), argc, argv[0]);
    free(heap);
    return finish();
}
