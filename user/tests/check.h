/* The checking convention of the C test programs: CHECK records a failure with its line and
 * goes on; finish() prints the verdict and is the program's exit status (0 = all passed). */
#pragma once
#include <stdio.h>

/* The tests build twice, against glibc and against musl (which defines no macro of its own), and
 * name themselves after the binary: glibc_fork / musl_fork. */
#ifdef __GLIBC__
#define TEST_NAME(what) "glibc_" what
#else
#define TEST_NAME(what) "musl_" what
#endif

static int check_failures;
static const char* check_program = "test";

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            check_failures++;                                                             \
            printf("%s: FAILED: %s (line %d)\n", check_program, #cond, __LINE__);       \
        }                                                                                 \
    } while (0)

static inline int finish(void) {
    printf("%s: %s\n", check_program, check_failures ? "some checks failed" : "all checks passed");
    return check_failures;
}
