/* Files before the VFS: the initramfs's files read through open/read/pread/readv/lseek/fstat
 * and stdio, descriptors (dup, dup3, fcntl, close-on-exec across execve, inheritance across
 * fork), the console as stdout, and the errors of each call. Exits with the failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static const char kScript[] = "#!/bin/exec_target script-arg\n";

int main(void) {
    check_program = TEST_NAME("files");
    size_t n = sizeof kScript - 1;
    char buf[256];

    /* open, read to the end, fstat. */
    int fd = open("/bin/script.sh", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 3);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)n && (st.st_mode & 0111));
    CHECK(read(fd, buf, sizeof buf) == (ssize_t)n && memcmp(buf, kScript, n) == 0);
    CHECK(read(fd, buf, sizeof buf) == 0);
    /* Positions: lseek, pread leaves the position alone, readv scatters. */
    CHECK(lseek(fd, 2, SEEK_SET) == 2 && read(fd, buf, 3) == 3 && memcmp(buf, "/bi", 3) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5 && lseek(fd, -1, SEEK_END) == (off_t)n - 1);
    CHECK(pread(fd, buf, 4, 2) == 4 && memcmp(buf, "/bin", 4) == 0 && lseek(fd, 0, SEEK_CUR) == (off_t)n - 1);
    char a[3], b[5];
    struct iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && readv(fd, iov, 2) == 8 && memcmp(a, "#!/", 3) == 0 && memcmp(b, "bin/e", 5) == 0);
    CHECK(lseek(fd, 100, SEEK_SET) == 100 && read(fd, buf, 10) == 0);  /* past the end: nothing */
    CHECK(lseek(fd, -200, SEEK_CUR) == -1 && errno == EINVAL);
    CHECK(lseek(fd, 0, 7) == -1 && errno == EINVAL);
    CHECK(lseek(fd, 0, SEEK_DATA) == 0 && lseek(fd, 0, SEEK_HOLE) == (off_t)n);
    CHECK(stat("/bin/../bin/./script.sh", &st) == 0 && st.st_size == (off_t)n);
    CHECK(fstatat(AT_FDCWD, "bin/script.sh", &st, 0) == 0);

    /* The same through stdio. */
    FILE* f = fopen("/bin/script.sh", "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, kScript) == 0);
    if (f) fclose(f);

    /* Errors of open. */
    CHECK(open("/bin/nothing", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(open("/nodir/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == ENOENT);
    CHECK(open("/bin", O_WRONLY) == -1 && errno == EISDIR);
    CHECK(open("/bin/", O_RDWR | O_CREAT, 0644) == -1 && errno == EISDIR);
    CHECK(open("/bin", O_RDONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(open("/bin/script.sh", O_RDONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    CHECK(open("/bin/script.sh", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
    CHECK(open("/bin/script.sh/", O_RDONLY) == -1 && errno == ENOTDIR);
    CHECK(open((char*)8, O_RDONLY) == -1 && errno == EFAULT);
    CHECK(open((char*)0xffffffc000000000ul, O_RDONLY) == -1 && errno == EFAULT);
    char longname[300];
    memset(longname, 'x', sizeof longname);
    longname[0] = '/';
    longname[sizeof longname - 1] = 0;
    CHECK(open(longname, O_RDONLY) == -1 && errno == ENAMETOOLONG);
    CHECK(openat(99, "script.sh", O_RDONLY) == -1 && errno == EBADF);
    CHECK(openat(fd, "script.sh", O_RDONLY) == -1 && errno == ENOTDIR);

    /* A directory opens for reading (stat), not for reading bytes. */
    int dir = open("/bin", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0 && fstat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(read(dir, buf, 1) == -1 && errno == EISDIR);
    CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode) && close(dir) == 0);

    /* Files in memory: a new one, written, read back, appended to, truncated, with a hole. */
    const char* name = "/bin/" TEST_NAME("files") ".tmp";
    mode_t old_mask = umask(077);
    int w = open(name, O_RDWR | O_CREAT | O_TRUNC, 0666);
    CHECK(w >= 0 && fstat(w, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600 && st.st_size == 0);
    umask(old_mask);
    CHECK(write(w, "hello", 5) == 5 && lseek(w, 0, SEEK_CUR) == 5);
    CHECK(pread(w, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(pwrite(w, "!", 1, 9) == 1 && fstat(w, &st) == 0 && st.st_size == 10);
    CHECK(pread(w, buf, 10, 0) == 10 && memcmp(buf, "hello\0\0\0\0!", 10) == 0);  /* the hole reads as zeros */
    int again = open(name, O_RDONLY);
    CHECK(again >= 0 && read(again, buf, sizeof buf) == 10 && close(again) == 0);  /* one file, seen by every open */
    CHECK(open(name, O_RDONLY | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST);
    int app = open(name, O_WRONLY | O_APPEND);
    CHECK(app >= 0 && lseek(app, 0, SEEK_SET) == 0 && write(app, "xy", 2) == 2 && close(app) == 0);
    CHECK(fstat(w, &st) == 0 && st.st_size == 12);
    int trunc = open(name, O_WRONLY | O_TRUNC);
    CHECK(trunc >= 0 && fstat(w, &st) == 0 && st.st_size == 0 && close(trunc) == 0);
    char big[5000];
    memset(big, 'b', sizeof big);
    CHECK(lseek(w, 0, SEEK_SET) == 0);  /* its own position is where it was */
    CHECK(write(w, big, sizeof big) == (ssize_t)sizeof big && fstat(w, &st) == 0 && st.st_size == (off_t)sizeof big);
    CHECK(close(w) == 0);
    /* Exec of a file written here: refused without execute permission, run with it (a copy of
     * /bin/exec_target made through read and write). */
    pid_t runner = fork();
    if (runner == 0) {
        char* argv[] = {(char*)name, NULL};
        execve(name, argv, NULL);
        _exit(errno == EACCES ? 77 : 99);
    }
    int run_status;
    CHECK(waitpid(runner, &run_status, 0) == runner && WIFEXITED(run_status) && WEXITSTATUS(run_status) == 77);
    const char* program = "/bin/" TEST_NAME("files") ".exe";
    int from = open("/bin/exec_target", O_RDONLY), to = open(program, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(from >= 0 && to >= 0);
    ssize_t got;
    while ((got = read(from, big, sizeof big)) > 0) CHECK(write(to, big, (size_t)got) == got);
    CHECK(got == 0 && close(from) == 0 && close(to) == 0);
    runner = fork();
    if (runner == 0) {
        char* argv[] = {(char*)program, "args", "one", "two", NULL};
        char* envp[] = {"MARK=set", NULL};
        execve(program, argv, envp);
        _exit(99);
    }
    CHECK(waitpid(runner, &run_status, 0) == runner && WIFEXITED(run_status) && WEXITSTATUS(run_status) == 0);

    /* Reproducers: a file of the archive over 256 bytes, written or truncated, once overran
     * the buffer it was copied into; and a hole after a truncation once showed old bytes. */
    char original[64], again_buf[64];
    int arch = open("/bin/bench_init", O_RDWR);  /* no test boot runs it */
    CHECK(arch >= 0 && pread(arch, original, sizeof original, 0) == (ssize_t)sizeof original);
    CHECK(pwrite(arch, "ABCD", 4, 0) == 4 && pread(arch, again_buf, sizeof again_buf, 0) == (ssize_t)sizeof again_buf);
    CHECK(memcmp(again_buf, "ABCD", 4) == 0 && memcmp(again_buf + 4, original + 4, sizeof original - 4) == 0);
    CHECK(close(arch) == 0);
    int gone = open("/bin/blocked_threads", O_RDWR | O_TRUNC);  /* no test boot runs it */
    CHECK(gone >= 0 && fstat(gone, &st) == 0 && st.st_size == 0);
    CHECK(pwrite(gone, "z", 1, 300) == 1 && pread(gone, big, 301, 0) == 301);
    int zeros = 1;
    for (int i = 0; i < 300; i++) zeros &= big[i] == 0;
    CHECK(zeros && big[300] == 'z' && close(gone) == 0);

    /* Errors of I/O (bad pointers through volatile variables: the compiler warns otherwise). */
    void* volatile low = (void*)8;
    void* volatile kernel = (void*)0xffffffc000000000ul;
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, low, 4) == -1 && errno == EFAULT);
    CHECK(read(fd, kernel, 4) == -1 && errno == EFAULT);
    CHECK(write(fd, "x", 1) == -1 && errno == EBADF);  /* opened read-only */
    CHECK(read(77, buf, 1) == -1 && errno == EBADF);
    CHECK(read(-1, buf, 1) == -1 && errno == EBADF);
    CHECK(pread(fd, buf, 1, -1) == -1 && errno == EINVAL);
    CHECK(lseek(1, 0, SEEK_SET) == -1 && errno == ESPIPE);
    CHECK(pwrite(1, "x", 1, 0) == -1 && errno == ESPIPE);
    CHECK(syscall(SYS_readv, fd, iov, 5000) == -1 && errno == EINVAL);
    CHECK(readv(fd, low, 1) == -1 && errno == EFAULT);
    struct iovec huge[2] = {{low, 0x7ffff000}, {low, 0x7ffff000}};
    CHECK(readv(fd, huge, 2) == -1 && errno == EINVAL);
    CHECK(close(77) == -1 && errno == EBADF);
    CHECK(fstat(77, &st) == -1 && errno == EBADF);
    /* Bad buffers through the system call itself: musl's fstat converts in user space. */
    CHECK(syscall(SYS_fstat, fd, low) == -1 && errno == EFAULT);
    CHECK(ioctl(fd, TIOCGWINSZ, buf) == -1 && errno == ENOTTY);

    /* The console is stdout. */
    const char hello[] = "glibc_files: written through fd 1\n";
    CHECK(write(1, hello, sizeof hello - 1) == (ssize_t)sizeof hello - 1);
    struct iovec out[2] = {{"glibc_files: ", 13}, {"written through writev\n", 23}};
    CHECK(writev(1, out, 2) == 36);
    CHECK(fstat(1, &st) == 0 && S_ISCHR(st.st_mode));
    CHECK(write(1, low, 4) == -1 && errno == EFAULT);

    /* Descriptors: dup takes the lowest free; dup3 and fcntl; flags are per open file. */
    int d = dup(fd);
    CHECK(d > fd && fcntl(d, F_GETFD) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK(lseek(fd, 3, SEEK_SET) == 3 && lseek(d, 0, SEEK_CUR) == 3);  /* one shared position */
    CHECK(dup3(fd, 40, O_CLOEXEC) == 40 && fcntl(40, F_GETFD) == FD_CLOEXEC);
    CHECK(dup3(fd, fd, 0) == -1 && errno == EINVAL);
    CHECK(dup3(fd, 41, 1) == -1 && errno == EINVAL);
    CHECK(dup3(fd, 100000, 0) == -1 && errno == EBADF);
    CHECK(dup2(77, 41) == -1 && errno == EBADF);
    CHECK(fcntl(fd, F_DUPFD, 50) == 50 && fcntl(fd, F_DUPFD_CLOEXEC, 50) == 51 && fcntl(51, F_GETFD) == FD_CLOEXEC);
    CHECK(fcntl(fd, F_DUPFD, 1 << 20) == -1 && errno == EINVAL);
    CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
    CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0 && (fcntl(d, F_GETFL) & O_NONBLOCK));
    CHECK(fcntl(fd, F_SETFD, 0) == 0 && fcntl(fd, F_GETFD) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0);
    CHECK(fcntl(fd, 9999) == -1 && errno == EINVAL);
    CHECK(close(50) == 0 && close(51) == 0 && close(40) == 0 && fcntl(40, F_GETFD) == -1 && errno == EBADF);

    /* Across fork the child shares the open files; across execve close-on-exec ones go. */
    pid_t child = fork();
    if (child == 0) _exit(lseek(d, 0, SEEK_CUR) == 3 && lseek(d, 5, SEEK_SET) == 5 ? 0 : 1);
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5);
    child = fork();
    if (child == 0) {
        char fd_text[16], d_text[16];
        snprintf(fd_text, sizeof fd_text, "%d", fd);
        snprintf(d_text, sizeof d_text, "%d", d);
        char* argv[] = {"/bin/exec_target", "fds", fd_text, d_text, NULL};
        execve(argv[0], argv, NULL);
        _exit(9);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Running out of descriptors: EMFILE at RLIMIT_NOFILE. */
    int last = -1;
    for (int i = 0; i < 2000; i++) {
        int x = dup(0);
        if (x < 0) {
            CHECK(errno == EMFILE);
            break;
        }
        last = x;
    }
    CHECK(last == 1023);
    for (int x = 3; x <= last; x++)
        if (x != fd && x != d) close(x);
    CHECK(close(fd) == 0 && close(d) == 0);
    return finish();
}
