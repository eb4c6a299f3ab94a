/* Memory mappings through glibc: shared anonymous memory across fork (pages touched before and
 * after it, by either side; munmap, mprotect and MADV_DONTNEED on one side), mremap (in place,
 * moving, shrinking, MREMAP_FIXED, MREMAP_DONTUNMAP, copy-on-write pages that move, errors),
 * MAP_FIXED_NOREPLACE and address hints, and hostile argument sweeps. Exits with the number of
 * failures. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FUTEX_WAIT 0 /* musl has no <linux/futex.h> */
#define FUTEX_WAKE 1

#include "check.h"

#define PAGE 4096
#define RW (PROT_READ | PROT_WRITE)

static void* map_shared(size_t len) { return mmap(NULL, len, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0); }
static void* map_private(size_t len) { return mmap(NULL, len, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }

/* Tests that need to know what lies next to a region build it in an arena of their own, far
 * from where mmap puts things (top-down below the stack) and from the program and its heap. */
#define ARENA(n) ((char*)0x1000000000UL + (unsigned long)(n) * 0x100000000UL)
static char* map_at(char* at, size_t len, int shared) {
    return mmap(at, len, RW, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

/* Whether any of [p, p+len) is mapped: mprotect answers ENOMEM over a hole. */
static int fully_mapped(void* p, size_t len) { return mprotect(p, len, RW) == 0; }
static int unmapped(void* p, size_t len) {
    for (size_t off = 0; off < len; off += PAGE)
        if (mprotect((char*)p + off, PAGE, RW) == 0 || errno != ENOMEM) return 0;
    return 1;
}

static void wait_for(volatile int* flag, int value) {
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != value) sched_yield();
}

static int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    if (WIFSIGNALED(status)) return 1000 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* Both sides see each other's writes: pages touched before fork, and pages first touched
 * after it by the child or by the parent. A private region stays private. */
static void shared_across_fork(void) {
    char* s = map_shared(4 * PAGE);
    char* p = map_private(PAGE);
    CHECK(s != MAP_FAILED && p != MAP_FAILED);
    if (s == MAP_FAILED || p == MAP_FAILED) return;
    volatile int* flags = (volatile int*)(s + 3 * PAGE);
    s[0] = 'a';
    p[0] = 'p';
    pid_t c = fork();
    if (c == 0) {
        int bad = 0;
        bad |= s[0] != 'a';
        s[0] = 'c';         /* touched before fork */
        s[PAGE] = 'C';      /* first touched after fork, by the child */
        p[0] = 'x';         /* private: the parent must not see it */
        __atomic_store_n(&flags[0], 1, __ATOMIC_RELEASE);
        wait_for(&flags[1], 1);
        bad |= s[2 * PAGE] != 'P';  /* first touched after fork, by the parent */
        bad |= p[0] != 'x';
        _exit(bad);
    }
    CHECK(c > 0);
    wait_for(&flags[0], 1);
    CHECK(s[0] == 'c' && s[PAGE] == 'C');
    CHECK(p[0] == 'p');
    s[2 * PAGE] = 'P';
    p[0] = 'q';
    __atomic_store_n(&flags[1], 1, __ATOMIC_RELEASE);
    CHECK(wait_exit(c) == 0);
    CHECK(s[0] == 'c' && s[PAGE] == 'C' && s[2 * PAGE] == 'P' && p[0] == 'q');
    munmap(s, 4 * PAGE);
    munmap(p, PAGE);
}

/* Many processes add to counters in one shared page, through grandchildren too. */
static void shared_counters(void) {
    enum { kChildren = 6, kAdds = 2000 };
    long* n = map_shared(PAGE);
    CHECK(n != MAP_FAILED);
    if (n == MAP_FAILED) return;
    for (int i = 0; i < kChildren; i++) {
        pid_t c = fork();
        if (c == 0) {
            pid_t g = fork();  /* a grandchild shares the same page */
            for (int k = 0; k < kAdds; k++) __atomic_fetch_add(&n[0], 1, __ATOMIC_RELAXED);
            if (g > 0) _exit(wait_exit(g));
            _exit(0);
        }
    }
    int bad = 0, status;
    for (int i = 0; i < kChildren; i++)
        bad |= wait(&status) <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    CHECK(!bad);
    CHECK(n[0] == 2L * kChildren * kAdds);
    munmap(n, PAGE);
}

/* One side unmaps half, protects, or discards: the other side's view is intact. */
static void shared_partial_changes(void) {
    char* s = map_shared(8 * PAGE);
    CHECK(s != MAP_FAILED);
    if (s == MAP_FAILED) return;
    volatile int* flags = (volatile int*)(s + 7 * PAGE);
    for (int i = 0; i < 7; i++) s[i * PAGE] = (char)('0' + i);
    pid_t c = fork();
    if (c == 0) {
        int bad = 0;
        /* The child drops the upper half; then its lower half stays shared (offsets kept). */
        bad |= munmap(s + 4 * PAGE, 3 * PAGE) != 0;
        s[PAGE] = 'k';
        /* Read-only here, still writable in the parent, whose writes we keep seeing. */
        bad |= mprotect(s, 2 * PAGE, PROT_READ) != 0;
        /* MADV_DONTNEED keeps a shared page's data. */
        bad |= madvise(s + 2 * PAGE, 2 * PAGE, MADV_DONTNEED) != 0;
        bad |= s[2 * PAGE] != '2' || s[3 * PAGE] != '3';
        bad |= madvise(s + 2 * PAGE, PAGE, MADV_FREE) != -1;  /* private memory only */
        __atomic_store_n(&flags[0], 1, __ATOMIC_RELEASE);
        wait_for(&flags[1], 1);
        bad |= s[0] != 'W';
        /* A write to the read-only page faults in a grandchild. */
        pid_t g = fork();
        if (g == 0) {
            s[0] = 'z';
            _exit(0);
        }
        bad |= wait_exit(g) != 1000 + SIGSEGV;
        _exit(bad);
    }
    wait_for(&flags[0], 1);
    CHECK(s[PAGE] == 'k');
    s[0] = 'W';
    __atomic_store_n(&flags[1], 1, __ATOMIC_RELEASE);
    CHECK(wait_exit(c) == 0);
    /* The parent's upper half survived the child's munmap, and its own writes stand. */
    CHECK(s[4 * PAGE] == '4' && s[5 * PAGE] == '5' && s[6 * PAGE] == '6');
    CHECK(s[0] == 'W' && s[2 * PAGE] == '2');
    s[5 * PAGE] = 'u';
    CHECK(s[5 * PAGE] == 'u');
    /* The parent's own MADV_DONTNEED keeps the data too, and a partial munmap keeps the rest. */
    CHECK(madvise(s, 8 * PAGE, MADV_DONTNEED) == 0);
    CHECK(s[0] == 'W' && s[PAGE] == 'k' && s[5 * PAGE] == 'u');
    CHECK(munmap(s, 3 * PAGE) == 0);
    CHECK(s[3 * PAGE] == '3' && s[6 * PAGE] == '6');
    munmap(s, 8 * PAGE);
}

/* Shared regions come and go; their frames must come back (a leak exhausts a small guest). */
static void shared_regions_are_freed(void) {
    enum { kRounds = 48, kLen = 2 << 20 };
    int ok = 1;
    for (int r = 0; r < kRounds && ok; r++) {
        char* s = map_shared(kLen);
        if (s == MAP_FAILED) {
            ok = 0;
            break;
        }
        memset(s, r, kLen / 2);
        pid_t c = fork();
        if (c == 0) {
            memset(s + kLen / 2, r, kLen / 2);
            _exit(0);
        }
        ok &= wait_exit(c) == 0;
        ok &= s[kLen - 1] == (char)r;
        ok &= munmap(s, kLen) == 0;
    }
    CHECK(ok);
}

static void mremap_in_place_and_shrink(void) {
    /* Grow in place: the space after is free. */
    char* a = map_at(ARENA(0), 8 * PAGE, 0);
    CHECK(a == ARENA(0));
    if (a == MAP_FAILED) return;
    CHECK(munmap(a + 2 * PAGE, 6 * PAGE) == 0);
    a[0] = 'x';
    a[PAGE] = 'y';
    char* b = mremap(a, 2 * PAGE, 5 * PAGE, 0);
    CHECK(b == a);
    CHECK(a[0] == 'x' && a[PAGE] == 'y' && a[4 * PAGE] == 0);
    a[4 * PAGE] = 'z';
    /* Shrink: the tail goes, the rest stays. */
    CHECK(mremap(a, 5 * PAGE, PAGE, 0) == a);
    CHECK(a[0] == 'x');
    CHECK(unmapped(a + PAGE, 4 * PAGE));
    /* Growing in place blocked by a neighbour: ENOMEM without MREMAP_MAYMOVE. */
    char* n = mmap(a + PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(n == a + PAGE);
    errno = 0;
    CHECK(mremap(a, PAGE, 2 * PAGE, 0) == MAP_FAILED && errno == ENOMEM);
    CHECK(a[0] == 'x');
    /* Size unchanged: the same address. */
    CHECK(mremap(a, PAGE, PAGE, 0) == a);
    munmap(a, 2 * PAGE);

    /* Regions Linux would have merged (split by mprotect and back) remap as one. */
    char* m = map_at(ARENA(1), 4 * PAGE, 0);
    CHECK(m == ARENA(1));
    CHECK(munmap(m + 2 * PAGE, 2 * PAGE) == 0);
    CHECK(mprotect(m + PAGE, PAGE, PROT_READ) == 0 && mprotect(m + PAGE, PAGE, RW) == 0);
    m[PAGE] = 'm';
    CHECK(mremap(m, 2 * PAGE, 4 * PAGE, 0) == m && m[PAGE] == 'm');
    /* But not across different protections: EFAULT. */
    CHECK(mprotect(m, PAGE, PROT_READ) == 0);
    errno = 0;
    CHECK(mremap(m, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
    munmap(m, 4 * PAGE);
}

static void mremap_moving(void) {
    /* Grow by moving: the contents come along, the old range goes. */
    char* a = map_at(ARENA(2), 2 * PAGE, 0);
    char* block = map_at(a + 2 * PAGE, PAGE, 0);
    CHECK(a == ARENA(2) && block == a + 2 * PAGE);
    memset(a, 'm', 2 * PAGE);
    errno = 0;
    char* b = mremap(a, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    CHECK(b != MAP_FAILED && b != a);
    if (b != MAP_FAILED) {
        CHECK(b[0] == 'm' && b[2 * PAGE - 1] == 'm' && b[2 * PAGE] == 0 && b[64 * PAGE - 1] == 0);
        CHECK(unmapped(a, 2 * PAGE));
        CHECK(fully_mapped(b, 64 * PAGE));
        munmap(b, 64 * PAGE);
    }
    munmap(block, PAGE);

    /* MREMAP_FIXED: onto an existing mapping, which it replaces; shrinking on the way. */
    char* src = map_at(ARENA(3), 3 * PAGE, 0);
    char* dst = map_at(ARENA(3) + 16 * PAGE, 4 * PAGE, 0);
    CHECK(src == ARENA(3) && dst == ARENA(3) + 16 * PAGE);
    memset(src, 's', 3 * PAGE);
    memset(dst, 'd', 4 * PAGE);
    char* r = mremap(src, 3 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PAGE);
    CHECK(r == dst + PAGE);
    CHECK(dst[0] == 'd' && dst[PAGE] == 's' && dst[3 * PAGE - 1] == 's' && dst[3 * PAGE] == 'd');
    CHECK(unmapped(src, 3 * PAGE));
    munmap(dst, 4 * PAGE);

    /* MREMAP_DONTUNMAP: a private source stays mapped and reads zeros; the data moved. */
    char* d = map_private(2 * PAGE);
    memset(d, 'u', 2 * PAGE);
    char* moved = mremap(d, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    CHECK(moved != MAP_FAILED && moved != d);
    if (moved != MAP_FAILED) {
        CHECK(moved[0] == 'u' && moved[2 * PAGE - 1] == 'u');
        CHECK(fully_mapped(d, 2 * PAGE) && d[0] == 0 && d[PAGE] == 0);
        munmap(moved, 2 * PAGE);
    }
    munmap(d, 2 * PAGE);

    /* Copy-on-write pages stay so when moved, on either side of a fork. */
    char* cow = map_private(2 * PAGE);
    memset(cow, 'o', 2 * PAGE);
    pid_t c = fork();
    if (c == 0) {
        char* m = mremap(cow, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
        if (m == MAP_FAILED || m[0] != 'o') _exit(1);
        memset(m, 'c', 2 * PAGE);
        _exit(m[PAGE] == 'c' ? 0 : 2);
    }
    char* pm = mremap(cow, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    CHECK(pm != MAP_FAILED);
    CHECK(wait_exit(c) == 0);
    if (pm != MAP_FAILED) {
        CHECK(pm[0] == 'o' && pm[2 * PAGE - 1] == 'o');
        pm[0] = 'p';
        munmap(pm, 8 * PAGE);
    }
}

static void mremap_shared(void) {
    /* A shared region moved in the child stays shared with the parent. */
    char* s = map_at(ARENA(4), 2 * PAGE, 1);
    char* guard = map_at(s + 2 * PAGE, PAGE, 0);
    CHECK(s == ARENA(4));
    if (s == MAP_FAILED) return;
    s[0] = 'a';
    volatile int* flag = (volatile int*)(s + PAGE);
    pid_t c = fork();
    if (c == 0) {
        char* m = mremap(s, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (char*)s + 64 * PAGE);
        if (m == MAP_FAILED) _exit(1);
        m[0] = 'b';
        __atomic_store_n((volatile int*)(m + PAGE), 1, __ATOMIC_RELEASE);
        _exit(0);
    }
    CHECK(wait_exit(c) == 0);
    CHECK(s[0] == 'b' && *flag == 1);
    /* Shrink, then grow in place again: the same object pages come back. */
    CHECK(guard == s + 2 * PAGE && munmap(guard, PAGE) == 0);
    CHECK(mremap(s, 2 * PAGE, PAGE, 0) == s);
    CHECK(mremap(s, PAGE, 2 * PAGE, 0) == s);
    CHECK(s[0] == 'b' && *flag == 1);
    /* DONTUNMAP on a shared region: both addresses show the same pages. */
    char* twin = mremap(s, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    CHECK(twin != MAP_FAILED);
    if (twin != MAP_FAILED) {
        CHECK(twin[0] == 'b' && s[0] == 'b');
        twin[1] = 't';
        CHECK(s[1] == 't');
        munmap(twin, 2 * PAGE);
    }
    /* old_len 0: a second mapping of the same shared pages (private regions: EINVAL). */
    char* dup = mremap(s, 0, PAGE, MREMAP_MAYMOVE);
    CHECK(dup != MAP_FAILED && dup != s);
    if (dup != MAP_FAILED) {
        dup[2] = 'd';
        CHECK(s[2] == 'd' && dup[0] == 'b');
        munmap(dup, PAGE);
    }
    char* priv = map_private(PAGE);
    errno = 0;
    CHECK(mremap(priv, 0, PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
    munmap(priv, PAGE);
    munmap(s, 2 * PAGE);
}

static void mremap_errors(void) {
    char* a = map_at(ARENA(5), 4 * PAGE, 0);
    CHECK(a == ARENA(5));
    errno = 0;
    CHECK(mremap(a + 1, PAGE, PAGE, 0) == MAP_FAILED && errno == EINVAL);  /* unaligned */
    errno = 0;
    CHECK(mremap(a, PAGE, PAGE, 8) == MAP_FAILED && errno == EINVAL);  /* unknown flag */
    errno = 0;
    CHECK(mremap(a, PAGE, PAGE, MREMAP_FIXED, a + 8 * PAGE) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    CHECK(mremap(a, PAGE, PAGE, MREMAP_DONTUNMAP) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    CHECK(mremap(a, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    CHECK(mremap(a, PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);  /* new_len 0 */
    errno = 0;  /* overlapping ranges */
    CHECK(mremap(a, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + PAGE) == MAP_FAILED && errno == EINVAL);
    errno = 0;  /* unaligned target */
    CHECK(mremap(a, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PAGE + 1) == MAP_FAILED && errno == EINVAL);
    errno = 0;  /* past the old range's end: a hole */
    CHECK(mremap(a, 8 * PAGE, 16 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
    CHECK(munmap(a + 3 * PAGE, PAGE) == 0);
    errno = 0;
    CHECK(mremap(a + 3 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
    errno = 0;  /* nothing at all at the address */
    CHECK(mremap((void*)0x10000000000UL, PAGE, PAGE, 0) == MAP_FAILED && errno == EFAULT);
    errno = 0;  /* a target past user space */
    CHECK(mremap(a, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (void*)(1UL << 60)) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    /* Wraps to 0 (the system call itself: musl's wrapper answers ENOMEM before asking). */
    CHECK(syscall(SYS_mremap, a, PAGE, ~0UL, MREMAP_MAYMOVE) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(mremap(a, PAGE, 1UL << 60, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM);
    /* After all that, the region is as it was. */
    a[0] = 1;
    CHECK(fully_mapped(a, 3 * PAGE) && a[0] == 1);
    munmap(a, 4 * PAGE);
}

static void fixed_noreplace_and_hints(void) {
    char* a = map_private(4 * PAGE);
    CHECK(a != MAP_FAILED);
    a[PAGE] = 'k';
    errno = 0;
    void* r = mmap(a + PAGE, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(r == MAP_FAILED && errno == EEXIST);
    errno = 0;  /* partly over it: EEXIST too */
    r = mmap(a + 3 * PAGE, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(r == MAP_FAILED && errno == EEXIST);
    CHECK(a[PAGE] == 'k');  /* untouched */
    CHECK(munmap(a + 2 * PAGE, 2 * PAGE) == 0);
    r = mmap(a + 2 * PAGE, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(r == a + 2 * PAGE);
    errno = 0;
    CHECK(mmap(a + 1, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED &&
          errno == EINVAL);
    munmap(a, 4 * PAGE);

    /* A free hint is used as it is; a taken one gives another address. */
    char* hint = (char*)0x2000000000UL;
    char* h = mmap(hint, PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(h == hint);
    char* h2 = mmap(hint, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(h2 != MAP_FAILED && h2 != hint && (h2 + 2 * PAGE <= hint || h2 >= hint + PAGE));
    CHECK(h[0] == 0);
    h[0] = 1;
    munmap(h, PAGE);
    munmap(h2, 2 * PAGE);

    /* Map types: MAP_SHARED_VALIDATE is for files (Linux: EINVAL for anonymous memory). */
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
    errno = 0;
    CHECK(mmap(NULL, PAGE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    errno = 0;
    CHECK(mmap(NULL, PAGE, RW, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);  /* no type */
    errno = 0;
    CHECK(mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 1) == MAP_FAILED && errno == EINVAL);
}

/* Every combination of odd arguments answers an error or works; the kernel never falls over
 * and the process's own memory is intact afterwards. */
static void hostile_sweep(void) {
    static const unsigned long addrs_off[] = {0, 1, PAGE, 3 * PAGE, 1UL << 38, ~0UL & ~(PAGE - 1UL), ~0UL};
    static const unsigned long lens[] = {0, 1, PAGE, 2 * PAGE, 5 * PAGE, 1UL << 37, 1UL << 38, ~0UL - PAGE, ~0UL};
    static const unsigned long rflags[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0x80000000UL, ~0UL};
    char* keep = map_private(PAGE);
    memset(keep, 'K', PAGE);
    /* The region at the arena, replacing whatever an earlier round left there. */
#define FRESH_BASE() mmap(ARENA(6), 4 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
    char* base = FRESH_BASE();
    int ok = 1;
    for (size_t i = 0; i < sizeof addrs_off / sizeof addrs_off[0]; i++)
        for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++)
            for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++)
                for (size_t f = 0; f < sizeof rflags / sizeof rflags[0]; f++) {
                    /* Addresses relative to a fresh shared region (or absolute when huge). */
                    if (base == MAP_FAILED) base = FRESH_BASE();
                    if (base == MAP_FAILED) {
                        ok = 0;
                        continue;
                    }
                    unsigned long off = addrs_off[i];
                    unsigned long addr = off < (1UL << 38) ? (unsigned long)base + off : off;
                    unsigned long target = (unsigned long)base + 512 * PAGE + off;
                    long r = syscall(SYS_mremap, addr, lens[j], lens[k], rflags[f], target);
                    if (r != -1) {
                        /* It moved or resized something: start from a fresh region. */
                        munmap((void*)r, lens[k]);
                        munmap(base, 4 * PAGE);
                        base = MAP_FAILED;
                    }
                }
    if (base != MAP_FAILED) munmap(base, 4 * PAGE);
    for (int i = 0; i < PAGE; i++) ok &= keep[i] == 'K';
    CHECK(ok);
    munmap(keep, PAGE);
    /* Odd mmap combinations: errors, never a crash. */
    static const unsigned long mflags[] = {MAP_SHARED, MAP_PRIVATE, MAP_SHARED | MAP_ANONYMOUS,
                                           MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0x0f | MAP_ANONYMOUS,
                                           MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, ~0UL};
    for (size_t f = 0; f < sizeof mflags / sizeof mflags[0]; f++)
        for (size_t j = 0; j < sizeof lens / sizeof lens[0]; j++) {
            unsigned long addr = (mflags[f] & MAP_FIXED) ? 0x3000000000UL : 0;
            long r = syscall(SYS_mmap, addr, lens[j], RW, mflags[f], -1, 0);
            if (r != -1) munmap((void*)r, lens[j]);
        }
}

/* A futex in shared memory (no FUTEX_PRIVATE flag) is one futex for every process mapping
 * it, even at another address: a waiter in the parent is woken by the child, and by a wake
 * through a second mapping of the same pages. */
static void shared_futexes(void) {
    volatile uint32_t* word = map_shared(PAGE);
    CHECK((void*)word != MAP_FAILED);
    *word = 0;
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 30 * 1000000};
        nanosleep(&pause, NULL);
        *word = 1;
        _exit(syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0) == 1 ? 0 : 1);
    }
    long r;
    while ((r = syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0)) == -1 && errno == EINTR) {
    }
    CHECK((r == 0 || (r == -1 && errno == EAGAIN)) && *word == 1);
    CHECK(wait_exit(child) == 0);
    /* The same pages at a second address (mremap with old_len 0): the same futex. */
    volatile uint32_t* alias = mremap((void*)word, 0, PAGE, MREMAP_MAYMOVE);
    CHECK((void*)alias != MAP_FAILED && alias != word);
    *word = 0;
    child = fork();
    if (child == 0) {
        struct timespec pause = {0, 30 * 1000000};
        nanosleep(&pause, NULL);
        *alias = 2;
        _exit(syscall(SYS_futex, alias, FUTEX_WAKE, 1, NULL, NULL, 0) == 1 ? 0 : 1);
    }
    while ((r = syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0)) == -1 && errno == EINTR) {
    }
    CHECK(*word == 2 && wait_exit(child) == 0);
    /* A shared futex where nothing is mapped: EFAULT. */
    CHECK(syscall(SYS_futex, (uint32_t*)0x10000000000UL, FUTEX_WAKE, 1, NULL, NULL, 0) == -1 && errno == EFAULT);
    munmap((void*)alias, PAGE);
    munmap((void*)word, PAGE);
}

/* Grown past its pages (mremap), a shared region's new part has nothing behind it: a touch
 * there is SIGBUS, as on Linux, while the old part still works. */
static void shared_past_the_end(void) {
    char* s = map_shared(PAGE);
    CHECK(s != MAP_FAILED);
    char* grown = mremap(s, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    CHECK(grown != MAP_FAILED);
    grown[0] = 1;
    pid_t child = fork();
    if (child == 0) {
        grown[PAGE] = 1;
        _exit(0);
    }
    CHECK(wait_exit(child) == 1000 + SIGBUS);
    munmap(grown, 2 * PAGE);
}

int main(void) {
    check_program = TEST_NAME("mmap");
    setvbuf(stdout, NULL, _IONBF, 0);
    shared_across_fork();
    shared_counters();
    shared_partial_changes();
    shared_regions_are_freed();
    mremap_in_place_and_shrink();
    mremap_moving();
    mremap_shared();
    mremap_errors();
    fixed_noreplace_and_hints();
    hostile_sweep();
    shared_futexes();
    shared_past_the_end();
    return finish();
}
