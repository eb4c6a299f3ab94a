/* A dynamically linked program: the kernel loads its interpreter (PT_INTERP), which maps the
 * shared libc with mmap of files; then file mappings as programs use them. */
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void interpreter_ran(void) {
    CHECK(getauxval(AT_BASE) != 0);  /* where the kernel put ld.so */
    CHECK(getauxval(AT_ENTRY) != 0);
    char exe[256];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(n > 0);
    if (n > 0) {
        exe[n] = 0;
        CHECK(strcmp(exe, "/bin/glibc_dynamic") == 0);
    }
}

static void shared_and_private_file_mappings(void) {
    int fd = open("/tmp/dynamic-map", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 8192) == 0);
    CHECK(pwrite(fd, "hello", 5, 4096) == 5);
    char* shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char* priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(shared != MAP_FAILED && priv != MAP_FAILED);
    if (shared == MAP_FAILED || priv == MAP_FAILED) return;
    CHECK(memcmp(shared + 4096, "hello", 5) == 0);
    CHECK(memcmp(priv + 4096, "hello", 5) == 0);
    /* A write through the shared mapping is the file's, and a private page not yet written
     * sees it too. */
    memcpy(shared, "world", 5);
    char buf[5];
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "world", 5) == 0);
    CHECK(memcmp(priv, "world", 5) == 0);
    /* A private write stays private. */
    memcpy(priv + 4096, "HELLO", 5);
    CHECK(pread(fd, buf, 5, 4096) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(memcmp(shared + 4096, "hello", 5) == 0);
    /* Writing the file shows through the shared mapping. */
    CHECK(pwrite(fd, "again", 5, 100) == 5);
    CHECK(memcmp(shared + 100, "again", 5) == 0);
    CHECK(munmap(shared, 8192) == 0 && munmap(priv, 8192) == 0);
    /* A read-only descriptor cannot give a writable shared mapping. */
    int ro = open("/tmp/dynamic-map", O_RDONLY);
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED);
    CHECK(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0) != MAP_FAILED);
    close(ro);
    close(fd);
    CHECK(unlink("/tmp/dynamic-map") == 0);
}

int main(void) {
    check_program = "glibc_dynamic";
    interpreter_ran();
    shared_and_private_file_mappings();
    return finish();
}
