/* An ordinary static glibc program: the C library's start-up, stdio and exit must work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
    char* heap = malloc(100000);
    if (!heap) return 2;
    memset(heap, 'x', 100000);
    printf("glibc_hello: pid %d, %d arguments, first '%s', heap ok\n", getpid(), argc, argv[0]);
    free(heap);
    return 0;
}
