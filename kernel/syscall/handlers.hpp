#pragma once
// The handlers, one family per file (process.cpp, memory.cpp, time.cpp, files.cpp,
// random.cpp, lifecycle.cpp, exec.cpp, signals.cpp).
#include "syscall.hpp"

namespace rt::sys {

long exit(Thread&, const SyscallArgs&);
long exit_group(Thread&, const SyscallArgs&);
long getpid(Thread&, const SyscallArgs&);
long getppid(Thread&, const SyscallArgs&);
long gettid(Thread&, const SyscallArgs&);
long getuid(Thread&, const SyscallArgs&);
long geteuid(Thread&, const SyscallArgs&);
long getgid(Thread&, const SyscallArgs&);
long getegid(Thread&, const SyscallArgs&);
long setuid(Thread&, const SyscallArgs&);
long setgid(Thread&, const SyscallArgs&);
long setreuid(Thread&, const SyscallArgs&);
long setregid(Thread&, const SyscallArgs&);
long setresuid(Thread&, const SyscallArgs&);
long setresgid(Thread&, const SyscallArgs&);
long getresuid(Thread&, const SyscallArgs&);
long getresgid(Thread&, const SyscallArgs&);
long getgroups(Thread&, const SyscallArgs&);
long setgroups(Thread&, const SyscallArgs&);
long set_tid_address(Thread&, const SyscallArgs&);
long uname(Thread&, const SyscallArgs&);
long set_robust_list(Thread&, const SyscallArgs&);
long get_robust_list(Thread&, const SyscallArgs&);
long prlimit64(Thread&, const SyscallArgs&);
long getrandom(Thread&, const SyscallArgs&);
Task<long> clone(Thread&, SyscallArgs);
Task<long> clone3(Thread&, SyscallArgs);
Task<long> execve(Thread&, SyscallArgs);
long futex(Thread&, const SyscallArgs&);
Task<long> futex_wait(Thread&, SyscallArgs);

long rt_sigaction(Thread&, const SyscallArgs&);
long rt_sigprocmask(Thread&, const SyscallArgs&);
long rt_sigpending(Thread&, const SyscallArgs&);
long rt_sigreturn(Thread&, const SyscallArgs&);
Task<long> rt_sigsuspend(Thread&, SyscallArgs);
Task<long> rt_sigtimedwait(Thread&, SyscallArgs);
long getrusage(Thread&, const SyscallArgs&);
long times(Thread&, const SyscallArgs&);
long kill(Thread&, const SyscallArgs&);
long tgkill(Thread&, const SyscallArgs&);
long tkill(Thread&, const SyscallArgs&);
long sigaltstack(Thread&, const SyscallArgs&);
Task<long> wait4(Thread&, SyscallArgs);
Task<long> waitid(Thread&, SyscallArgs);

long chdir(Thread&, const SyscallArgs&);
long chroot(Thread&, const SyscallArgs&);
long close_range(Thread&, const SyscallArgs&);
long faccessat(Thread&, const SyscallArgs&);
long faccessat2(Thread&, const SyscallArgs&);
long fallocate(Thread&, const SyscallArgs&);
long fchdir(Thread&, const SyscallArgs&);
long fchmod(Thread&, const SyscallArgs&);
long fchmodat(Thread&, const SyscallArgs&);
long fchown(Thread&, const SyscallArgs&);
long fchownat(Thread&, const SyscallArgs&);
long fstatfs(Thread&, const SyscallArgs&);
long fsync(Thread&, const SyscallArgs&);
long ftruncate(Thread&, const SyscallArgs&);
long getcwd(Thread&, const SyscallArgs&);
long getdents64(Thread&, const SyscallArgs&);
long linkat(Thread&, const SyscallArgs&);
long memfd_create(Thread&, const SyscallArgs&);
long mkdirat(Thread&, const SyscallArgs&);
long mknodat(Thread&, const SyscallArgs&);
long mount(Thread&, const SyscallArgs&);
long openat2(Thread&, const SyscallArgs&);
Task<long> openat2_wait(Thread&, SyscallArgs);
long readlinkat(Thread&, const SyscallArgs&);
long renameat2(Thread&, const SyscallArgs&);
long statfs(Thread&, const SyscallArgs&);
long statx(Thread&, const SyscallArgs&);
long symlinkat(Thread&, const SyscallArgs&);
long sync(Thread&, const SyscallArgs&);
long truncate(Thread&, const SyscallArgs&);
long umount2(Thread&, const SyscallArgs&);
long unlinkat(Thread&, const SyscallArgs&);
long utimensat(Thread&, const SyscallArgs&);

long brk(Thread&, const SyscallArgs&);
long mmap(Thread&, const SyscallArgs&);
long munmap(Thread&, const SyscallArgs&);
long mremap(Thread&, const SyscallArgs&);
long mprotect(Thread&, const SyscallArgs&);
long madvise(Thread&, const SyscallArgs&);

long clock_gettime(Thread&, const SyscallArgs&);
long clock_getres(Thread&, const SyscallArgs&);
long gettimeofday(Thread&, const SyscallArgs&);
long setitimer(Thread&, const SyscallArgs&);
long getitimer(Thread&, const SyscallArgs&);
long getcpu(Thread&, const SyscallArgs&);
long reboot(Thread&, const SyscallArgs&);
long setpgid(Thread&, const SyscallArgs&);
long getpgid(Thread&, const SyscallArgs&);
long setsid(Thread&, const SyscallArgs&);
long getsid(Thread&, const SyscallArgs&);
long sched_getaffinity(Thread&, const SyscallArgs&);
long sched_setaffinity(Thread&, const SyscallArgs&);
long sysinfo(Thread&, const SyscallArgs&);
Task<long> nanosleep(Thread&, SyscallArgs);
Task<long> clock_nanosleep(Thread&, SyscallArgs);
Task<long> sched_yield(Thread&, SyscallArgs);

Task<long> read(Thread&, SyscallArgs);
Task<long> write(Thread&, SyscallArgs);
Task<long> readv(Thread&, SyscallArgs);
Task<long> writev(Thread&, SyscallArgs);
Task<long> pread64(Thread&, SyscallArgs);
Task<long> preadv(Thread&, SyscallArgs);
Task<long> pwritev(Thread&, SyscallArgs);
Task<long> preadv2(Thread&, SyscallArgs);
Task<long> pwritev2(Thread&, SyscallArgs);
long msync(Thread&, const SyscallArgs&);
Task<long> flock(Thread&, SyscallArgs);
long fadvise64(Thread&, const SyscallArgs&);
long sethostname(Thread&, const SyscallArgs&);
long prctl(Thread&, const SyscallArgs&);
long xattr_by_path(Thread&, const SyscallArgs&);
long xattr_by_link(Thread&, const SyscallArgs&);
long xattr_by_fd(Thread&, const SyscallArgs&);
Task<long> sendfile(Thread&, SyscallArgs);
Task<long> copy_file_range(Thread&, SyscallArgs);
Task<long> pwrite64(Thread&, SyscallArgs);
long lseek(Thread&, const SyscallArgs&);
long openat(Thread&, const SyscallArgs&);
Task<long> openat_wait(Thread&, SyscallArgs);
long close(Thread&, const SyscallArgs&);
long umask(Thread&, const SyscallArgs&);
long dup(Thread&, const SyscallArgs&);
long dup3(Thread&, const SyscallArgs&);
long fcntl(Thread&, const SyscallArgs&);
long ioctl(Thread&, const SyscallArgs&);
long fstat(Thread&, const SyscallArgs&);
long newfstatat(Thread&, const SyscallArgs&);

long pipe2(Thread&, const SyscallArgs&);
Task<long> ppoll(Thread&, SyscallArgs);
Task<long> pselect6(Thread&, SyscallArgs);
long epoll_create1(Thread&, const SyscallArgs&);
long epoll_ctl(Thread&, const SyscallArgs&);
long epoll_pwait_now(Thread&, const SyscallArgs&);
Task<long> epoll_pwait(Thread&, SyscallArgs);
Task<long> epoll_pwait2(Thread&, SyscallArgs);
long eventfd2(Thread&, const SyscallArgs&);
long timerfd_create(Thread&, const SyscallArgs&);
long timerfd_settime(Thread&, const SyscallArgs&);
long timerfd_gettime(Thread&, const SyscallArgs&);
long signalfd4(Thread&, const SyscallArgs&);

}  // namespace rt::sys
