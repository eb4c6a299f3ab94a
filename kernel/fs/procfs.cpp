#include "procfs.hpp"

#include <cstring>
#include <new>

#include <fmt/format.h>

#include "fd_table.hpp"
#include "arch/riscv/timer.hpp"
#include "kernel/lib/platform.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/frames.hpp"
#include "kernel/proc/process.hpp"
#include "kernel/sched/hart.hpp"
#include "kernel/mm/user_access.hpp"
#include "path_walk.hpp"
#include "vfs_file.hpp"

namespace rt {
namespace {

constexpr uint64_t kProcMagic = 0x9fa0;

// A growable text buffer for a file's contents.
class Text {
public:
    ~Text() { delete[] m_data; }
    void add(const char* s, size_t n) {
        if (m_failed) return;
        if (m_size + n > m_capacity) {
            size_t cap = m_capacity ? m_capacity : 512;
            while (cap < m_size + n) cap *= 2;
            auto* d = new (std::nothrow) char[cap];
            if (!d) {
                m_failed = true;
                return;
            }
            memcpy(d, m_data, m_size);
            delete[] m_data;
            m_data = d;
            m_capacity = cap;
        }
        memcpy(m_data + m_size, s, n);
        m_size += n;
    }
    template <typename... Args>
    void print(fmt::format_string<Args...> format, Args&&... args) {
        char line[256];
        auto r = fmt::format_to_n(line, sizeof line, format, static_cast<Args&&>(args)...);
        add(line, r.size < sizeof line ? r.size : sizeof line);
    }
    char* release(size_t& size) {
        size = m_size;
        char* d = m_data;
        m_data = nullptr;
        return d;
    }
    bool failed() const { return m_failed; }

private:
    char* m_data = nullptr;
    size_t m_size = 0, m_capacity = 0;
    bool m_failed = false;
};

// A snapshot of a made-up file, taken when it is opened.
class SnapshotFile final : public PathFile {
public:
    SnapshotFile(const PathRef& path, uint32_t flags, char* data, size_t size)
        : PathFile(path, flags), m_data(data), m_size(size) {}
    ~SnapshotFile() override { delete[] m_data; }
    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t offset) override {
        if (offset >= m_size) return size_t{0};
        size_t n = m_size - offset < len ? m_size - offset : len;
        TRY(copy_to_user(space, buf, m_data + offset, n));
        return n;
    }
    bool seekable() const override { return true; }
    Stat stat() const override {
        Stat s = PathFile::stat();
        s.size = 0;  // as Linux: the size of a made-up file is unknown until read
        return s;
    }

private:
    char* m_data;
    size_t m_size;
};

enum class Kind { Root, Self, Pid, FdDir, Fd, Exe, Cwd, RootLink, Text };

struct ProcFs : SuperBlock {
    ProcFs() : SuperBlock("proc", 0x14, kProcMagic) {}
};

using Generator = void (*)(Text&, Process* p);

struct FileEntry {
    const char* name;
    Kind kind;
    Generator gen;
};

// The process with `pid`, with a reference; nullptr if none (or a zombie with nothing left).
Process* hold_process(int pid) {
    SpinLockGuard g(g_process_lock);
    Process* p = find_process_locked(pid);
    if (p) p->refs.fetch_add(1, std::memory_order_relaxed);
    return p;
}

char state_of(const Process& p) {
    if (p.zombie) return 'Z';
    if (p.stopped.load()) return 'T';
    return 'S';
}

void gen_cmdline(Text& t, Process* p) {
    SpinLockGuard g(p->signal_lock);
    if (p->cmdline) t.add(p->cmdline, p->cmdline_len);
}

void gen_comm(Text& t, Process* p) { t.print("{}\n", p->comm); }

// Timer ticks as clock ticks (USER_HZ, 100 a second), the unit of /proc's times.
uint64_t clock_ticks(uint64_t timer_ticks) { return arch::ticks_to_ns(timer_ticks) / 10'000'000; }

void gen_stat(Text& t, Process* p) {
    uint64_t vsize = 0, rss = p->space ? p->space->resident_pages() : 0;
    t.print("{} ({}) {} {} {} {} 0 -1 4194560 0 0 0 0 {} {} 0 0 20 0 {} 0 0 {} {}\n", p->pid, p->comm,
            state_of(*p), p->ppid.load(), p->pgid.load(), p->sid.load(), clock_ticks(p->utime.load()),
            clock_ticks(p->stime.load()), static_cast<int>(p->live_threads.load()),
            static_cast<unsigned long>(vsize), static_cast<unsigned long>(rss));
}

void gen_status(Text& t, Process* p) {
    const Credentials& c = p->creds;
    t.print("Name:\t{}\nUmask:\t{:04o}\nState:\t{}\nTgid:\t{}\nPid:\t{}\nPPid:\t{}\n", p->comm, p->umask, state_of(*p),
            p->pid, p->pid, p->ppid.load());
    t.print("Uid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\n", c.uid.real, c.uid.effective, c.uid.saved, c.uid.fs,
            c.gid.real, c.gid.effective, c.gid.saved, c.gid.fs);
    t.print("Threads:\t{}\nVmRSS:\t{} kB\n", p->live_threads.load(),
            static_cast<unsigned long>(p->space ? p->space->resident_pages() * 4 : 0));
    t.print("SigPnd:\t{:016x}\n", static_cast<unsigned long>(p->pending.load()));
}

void gen_maps(Text& t, Process* p) {
    if (!p->space) return;
    uint64_t brk_start = p->brk_start, brk = p->brk;
    p->space->for_each_region([&](const Vma& v) {
        char perms[5] = {(v.prot & kProtRead) ? 'r' : '-', (v.prot & kProtWrite) ? 'w' : '-',
                         (v.prot & kProtExec) ? 'x' : '-', (v.object && !v.private_object) ? 's' : 'p', 0};
        const char* name = v.kernel_pages                                   ? "[vdso]"
                           : v.end == kUserTop - kPageSize                  ? "[stack]"  // exec.cpp puts it there
                           : v.start >= brk_start && v.end <= page_round_up(brk) && brk > brk_start ? "[heap]"
                                                                                                : "";
        t.print("{:08x}-{:08x} {} {:08x} 00:00 0 {}\n", v.start, v.end, perms, v.object_page * kPageSize, name);
    });
}

void gen_meminfo(Text& t, Process*) {
    unsigned long total = g_frames.total_frames() * 4, free = g_frames.free_frames() * 4;
    t.print("MemTotal:       {:8} kB\nMemFree:        {:8} kB\nMemAvailable:   {:8} kB\n", total, free, free);
    t.print("Buffers:               0 kB\nCached:                0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n");
}

void gen_cpuinfo(Text& t, Process*) {
    for (size_t i = 0; i < g_hart_count; ++i)
        t.print("processor\t: {}\nhart\t\t: {}\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n\n", i, i);
}

// The mounts, named from the tree's top. Each mount's place is taken under the mount lock and
// named after it (naming climbs mounts, which takes that lock).
void gen_mounts(Text& t, Process*) {
    struct Entry {
        PathRef at;
        const char* type;
        uint32_t flags;
    };
    struct Collect {
        Entry* entries;
        size_t count, room;
    };
    constexpr size_t kMaxMounts = 64;
    auto* entries = new (std::nothrow) Entry[kMaxMounts];
    if (!entries) return;
    Collect c{entries, 0, kMaxMounts};
    for_each_mount([](void* ctx, const Mount& m) {
        Collect& c = *static_cast<Collect*>(ctx);
        if (c.count == c.room) return;
        Entry& e = c.entries[c.count++];
        if (m.parent) e.at = path_of(m.parent, m.mountpoint);
        e.type = m.root->inode()->sb.type;
        e.flags = m.flags;
    }, &c);
    PathRef top = root_path();
    char path[256];
    for (size_t i = 0; i < c.count; ++i) {
        const Entry& e = entries[i];
        const char* where = "/";
        if (e.at && !path_name(e.at, top, path, sizeof path).is_error()) where = path;
        bool root = strcmp(e.type, "rootfs") == 0;
        t.print("{} {} {} {} 0 0\n", e.type, where, root ? "tmpfs" : e.type, (e.flags & kMsRdonly) ? "ro" : "rw");
    }
    delete[] entries;
}

void gen_uptime(Text& t, Process*) {
    uint64_t ns = platform::now_ns();
    t.print("{}.{:02} 0.00\n", static_cast<unsigned long>(ns / 1000000000),
            static_cast<unsigned long>(ns / 10000000 % 100));
}

void gen_loadavg(Text& t, Process*) {
    int count = 0, last = 0;
    {
        SpinLockGuard g(g_process_lock);
        g_processes.for_each([&](Process& p) {
            ++count;
            if (p.pid > last) last = p.pid;
        });
    }
    t.print("0.00 0.00 0.00 1/{} {}\n", count, last);
}

void gen_stat_global(Text& t, Process*) {
    t.print("cpu  0 0 0 0 0 0 0 0 0 0\n");
    for (size_t i = 0; i < g_hart_count; ++i) t.print("cpu{} 0 0 0 0 0 0 0 0 0 0\n", i);
    t.print("btime {}\nprocesses 0\nprocs_running 1\nprocs_blocked 0\n", 0ul);
}

void gen_filesystems(Text& t, Process*) { t.print("nodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\n"); }
void gen_version(Text& t, Process*) { t.print("Riptide version 6.12.0-riptide (riscv64)\n"); }

constexpr FileEntry kRootFiles[] = {
    {"self", Kind::Self, nullptr},           {"meminfo", Kind::Text, gen_meminfo}, {"cpuinfo", Kind::Text, gen_cpuinfo},
    {"mounts", Kind::Text, gen_mounts},      {"uptime", Kind::Text, gen_uptime},   {"loadavg", Kind::Text, gen_loadavg},
    {"stat", Kind::Text, gen_stat_global},   {"filesystems", Kind::Text, gen_filesystems},
    {"version", Kind::Text, gen_version},
};
constexpr FileEntry kPidFiles[] = {
    {"exe", Kind::Exe, nullptr},         {"cwd", Kind::Cwd, nullptr},         {"root", Kind::RootLink, nullptr},
    {"fd", Kind::FdDir, nullptr},        {"cmdline", Kind::Text, gen_cmdline}, {"comm", Kind::Text, gen_comm},
    {"stat", Kind::Text, gen_stat},      {"status", Kind::Text, gen_status},  {"mounts", Kind::Text, gen_mounts},
    {"maps", Kind::Text, gen_maps},
};

uint32_t mode_of(Kind k) {
    switch (k) {
    case Kind::Root:
    case Kind::Pid:
    case Kind::FdDir: return kSIfdir | 0555;
    case Kind::Self:
    case Kind::Fd:
    case Kind::Exe:
    case Kind::Cwd:
    case Kind::RootLink: return kSIflnk | 0777;
    case Kind::Text: return kSIfreg | 0444;
    }
    return 0;
}

class ProcInode final : public Inode {
public:
    ProcInode(SuperBlock& sb, Kind kind, int pid, int fd, Generator gen)
        : Inode(sb, mode_of(kind), nullptr), m_kind(kind), m_pid(pid), m_fd(fd), m_gen(gen) {
        nlink = is_dir() ? 2 : 1;
    }

    bool made_up() const override { return is_dir(); }

    ErrorOr<Inode*> lookup(const char* name, size_t len) override {
        if (m_kind == Kind::Root) {
            for (const FileEntry& e : kRootFiles)
                if (strlen(e.name) == len && memcmp(e.name, name, len) == 0) return make(e.kind, 0, 0, e.gen);
            int pid = TRY(number(name, len));
            Process* p = hold_process(pid);
            if (!p) return Error(Errno::NOENT);
            release_process(p);
            return make(Kind::Pid, pid, 0, nullptr);
        }
        if (m_kind == Kind::Pid) {
            for (const FileEntry& e : kPidFiles)
                if (strlen(e.name) == len && memcmp(e.name, name, len) == 0) return make(e.kind, m_pid, 0, e.gen);
            return Error(Errno::NOENT);
        }
        if (m_kind == Kind::FdDir) {
            int fd = TRY(number(name, len));
            if (!file_of_process(fd)) return Error(Errno::NOENT);
            return make(Kind::Fd, m_pid, fd, nullptr);
        }
        return Error(Errno::NOTDIR);
    }

    size_t list(size_t skip, bool (*emit)(void*, const DirEntry&), void* ctx) override {
        size_t emitted = 0, index = 0;
        auto offer = [&](const char* name, uint64_t ino, uint32_t type) {
            if (index++ < skip) return true;
            ++emitted;
            return emit(ctx, {name, strlen(name), ino, type});
        };
        if (m_kind == Kind::Root) {
            for (const FileEntry& e : kRootFiles)
                if (!offer(e.name, 0x1000 + index, mode_of(e.kind) & kSIfmt)) return emitted;
            int pids[256];
            size_t n = 0;
            {
                SpinLockGuard g(g_process_lock);
                g_processes.for_each([&](Process& p) {
                    if (n < 256) pids[n++] = p.pid;
                });
            }
            for (size_t i = 0; i < n; ++i) {
                char name[16];
                *fmt::format_to_n(name, sizeof name - 1, "{}", pids[i]).out = 0;
                if (!offer(name, 0x10000 + static_cast<uint64_t>(pids[i]), kSIfdir)) return emitted;
            }
        } else if (m_kind == Kind::Pid) {
            for (const FileEntry& e : kPidFiles)
                if (!offer(e.name, 0x2000 + index, mode_of(e.kind) & kSIfmt)) return emitted;
        } else if (m_kind == Kind::FdDir) {
            size_t limit = 0;
            if (Process* p = hold_process(m_pid)) {
                {
                    SpinLockGuard g(p->signal_lock);
                    limit = p->files ? p->files->size_hint() : 0;
                }
                release_process(p);
            }
            for (size_t fd = 0; fd < limit; ++fd) {
                if (!file_of_process(static_cast<int>(fd))) continue;
                char name[16];
                *fmt::format_to_n(name, sizeof name - 1, "{}", fd).out = 0;
                if (!offer(name, 0x3000 + fd, kSIflnk)) break;
            }
        }
        return emitted;
    }

    ErrorOr<size_t> readlink(char* buf, size_t len, Process* caller) override {
        if (m_kind == Kind::Self) {
            if (!caller) return Error(Errno::NOENT);
            auto r = fmt::format_to_n(buf, len, "{}", caller->pid);
            return r.size < len ? r.size : len;
        }
        if (m_kind == Kind::Fd) {
            FileRef f = file_of_process(m_fd);
            if (!f) return Error(Errno::NOENT);
            if (!f->path()) {
                Stat s = f->stat();
                const char* kind = (s.mode & kSIfmt) == kSIfifo ? "pipe" : (s.mode & kSIfmt) == kSIfsock ? "socket" : "anon_inode";
                auto r = fmt::format_to_n(buf, len, "{}:[{}]", kind, s.ino);
                return r.size < len ? r.size : len;
            }
            return name_of(*f->path(), caller, buf, len);
        }
        PathRef target = TRY(follow(caller));
        return name_of(target, caller, buf, len);
    }

    ErrorOr<PathRef> follow(Process* caller) const override {
        if (m_kind == Kind::Self || is_dir() || m_kind == Kind::Text) return Error(Errno::INVAL);
        if (m_kind == Kind::Fd) {
            FileRef f = file_of_process(m_fd);
            if (!f) return Error(Errno::NOENT);
            if (!f->path()) return Error(Errno::INVAL);
            return *f->path();
        }
        Process* p = hold_process(m_pid);
        if (!p) return Error(Errno::NOENT);
        PathRef out = m_kind == Kind::Cwd ? p->fs.cwd() : m_kind == Kind::RootLink ? p->fs.root() : p->exe();
        release_process(p);
        (void)caller;
        if (!out) return Error(Errno::NOENT);
        return out;
    }

    ErrorOr<FileRef> open(const PathRef& path, uint32_t flags, Thread& opener) override {
        if (m_kind != Kind::Text || (flags & kOPath)) return Inode::open(path, flags, opener);
        if ((flags & kOAccMode) != kORdonly) return Error(Errno::ACCES);
        Text text;
        if (m_pid) {
            Process* p = hold_process(m_pid);
            if (!p) return Error(Errno::NOENT);
            m_gen(text, p);
            release_process(p);
        } else {
            m_gen(text, nullptr);
        }
        if (text.failed()) return Error(Errno::NOMEM);
        size_t size;
        char* data = text.release(size);
        File* f = new (std::nothrow) SnapshotFile(path, flags, data, size);
        if (!f) {
            delete[] data;
            return Error(Errno::NOMEM);
        }
        return FileRef(f);
    }

private:
    ErrorOr<Inode*> make(Kind kind, int pid, int fd, Generator gen) {
        auto* i = new (std::nothrow) ProcInode(sb, kind, pid, fd, gen);
        if (!i) return Error(Errno::NOMEM);
        return i;
    }
    static ErrorOr<int> number(const char* name, size_t len) {
        if (len == 0 || len > 9) return Error(Errno::NOENT);
        int n = 0;
        for (size_t i = 0; i < len; ++i) {
            if (name[i] < '0' || name[i] > '9') return Error(Errno::NOENT);
            n = n * 10 + (name[i] - '0');
        }
        return n;
    }
    FileRef file_of_process(int fd) const {
        Process* p = hold_process(m_pid);
        if (!p) return {};
        FileRef f;
        {
            SpinLockGuard g(p->signal_lock);  // the table goes when the process ends
            if (p->files) f = p->files->get(fd);
        }
        release_process(p);
        return f;
    }
    static ErrorOr<size_t> name_of(const PathRef& target, Process* caller, char* buf, size_t len) {
        PathRef root = caller ? caller->fs.root() : root_path();
        auto* tmp = new (std::nothrow) char[4096];
        if (!tmp) return Error(Errno::NOMEM);
        auto n = path_name(target, root, tmp, 4096);
        if (n.is_error()) {
            delete[] tmp;
            return n.error();
        }
        size_t out = n.value() < len ? n.value() : len;
        memcpy(buf, tmp, out);
        delete[] tmp;
        return out;
    }

    Kind m_kind;
    int m_pid, m_fd;
    Generator m_gen;
};

}  // namespace

ErrorOr<Dentry*> procfs_create() {
    auto* sb = new (std::nothrow) ProcFs;
    if (!sb) return Error(Errno::NOMEM);
    auto* root = new (std::nothrow) ProcInode(*sb, Kind::Root, 0, 0, nullptr);
    if (!root) {
        delete sb;
        return Error(Errno::NOMEM);
    }
    return Dentry::make_root(root);
}

}  // namespace rt
