// File descriptors and the I/O on them: close, read and write (plain, vectored and
// positional), lseek, fstat, dup, fcntl and ioctl. A call that would wait tries, waits for the file's
// readiness, and tries again (DESIGN §7); O_NONBLOCK files answer EAGAIN instead.
#include <new>

#include "handlers.hpp"
#include "kernel/fs/fd_table.hpp"
#include "kernel/fs/pipe.hpp"
#include "kernel/fs/tmpfs.hpp"
#include "kernel/mm/address.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/signal.hpp"
#include "path_args.hpp"

namespace rt::sys {
namespace {

constexpr uint64_t kMaxRw = 0x7ffff000;  // Linux's MAX_RW_COUNT
constexpr uint64_t kIovMax = 1024;
constexpr size_t kIovRoom = 8;  // iovecs a read or write keeps in place; longer vectors are allocated

struct Iovec {
    uint64_t base, len;
};

uint64_t nofile_limit(const Thread& t) { return t.process->limits[7].cur; }

// One transfer between a file and user memory: `iov` buffers less their first `skip` bytes
// (moved by an earlier try), at `offset` (nullptr: the file position, advanced by what moved).
// Returns the bytes moved; AGAIN if none could move now.
ErrorOr<size_t> transfer(Thread& t, File& f, bool writing, const Iovec* iov, size_t count, const int64_t* offset,
                         size_t skip) {
    AddressSpace& space = *t.process->space;
    bool positioned = f.seekable();
    uint64_t pos = offset ? static_cast<uint64_t>(*offset) + skip : positioned ? f.position.load() : 0;
    if (writing && !offset && positioned && (f.flags() & kOAppend)) pos = static_cast<uint64_t>(f.stat().size);
    size_t done = 0;
    for (size_t i = 0; i < count; ++i) {
        uint64_t base = iov[i].base, len = iov[i].len;
        if (skip >= len) {
            skip -= len;
            continue;
        }
        base += skip;
        len -= skip;
        skip = 0;
        auto r = writing ? f.write(space, base, len, pos + done) : f.read(space, base, len, pos + done);
        if (r.is_error()) {
            if (done) break;  // what moved before the error is the result
            return r.error();
        }
        done += r.value();
        if (r.value() < len) break;
    }
    if (!offset && positioned) f.position.store(pos + done);
    return done;
}

// A write to a pipe or socket with no reader left: SIGPIPE for the writing thread.
void raise_sigpipe(Thread& t) {
    SpinLockGuard g(g_process_lock);
    post_signal_locked(*t.process, &t, {kSigPipe, kSiUser, t.process->pid, t.process->creds.uid.real, 0, 0});
}

// The checks every read and write makes of the file and the total length.
ErrorOr<void> check_io(const File& f, bool writing, const Iovec* iov, size_t count) {
    if (writing ? !f.writable() : !f.readable()) return Error(Errno::BADF);
    uint64_t total = 0;
    for (size_t i = 0; i < count; ++i) {
        if (iov[i].len > kMaxRw || total + iov[i].len > kMaxRw) return Error(Errno::INVAL);
        total += iov[i].len;
    }
    return {};
}

// A read or write call as its arguments describe it, before the file is looked up.
struct IoCall {
    uint64_t fd;
    bool writing;
    bool vector;      // `buf` is an array of `len` iovecs, else one buffer of `len` bytes
    bool positioned;  // at `offset`, else at the file position
    uint64_t buf, len;
    int64_t offset;
};

// Linux's checks of the arguments alone: a negative offset, unknown preadv2/pwritev2 flags.
// riscv64 passes preadv's offset whole and ignores offset_high (a4). For the "2" calls an
// offset of -1 is the file position, and RWF_HIPRI, RWF_DSYNC and RWF_SYNC are met by files that
// live in memory; RWF_NOWAIT and RWF_APPEND are not supported (EOPNOTSUPP).
enum class IoKind { Plain, Positioned, Vector, PositionedVector, PositionedVector2 };
ErrorOr<IoCall> io_call(const SyscallArgs& a, bool writing, IoKind kind) {
    constexpr uint64_t kKnownV2Flags = 0x7;
    IoCall call{a.a[0], writing, false, false, a.a[1], a.a[2], 0};
    call.vector = kind == IoKind::Vector || kind == IoKind::PositionedVector || kind == IoKind::PositionedVector2;
    if (kind == IoKind::Plain || kind == IoKind::Vector) return call;
    call.offset = static_cast<int64_t>(a.a[3]);
    if (call.offset < (kind == IoKind::PositionedVector2 ? -1 : 0)) return Error(Errno::INVAL);
    if (kind == IoKind::PositionedVector2 && (a.a[5] & ~kKnownV2Flags)) return Error(Errno::OPNOTSUPP);
    call.positioned = call.offset != -1;
    return call;
}

// The call's file and buffers, checked: EBADF, ESPIPE, EINVAL (too many iovecs, too long in all),
// EFAULT. `iov` has room for `room` iovecs; a vector longer than that answers WAITS (the async
// half has room for any). A plain read or write longer than Linux's MAX_RW_COUNT is cut to it.
// `again`: the file of a call run again after a wait (the descriptor may have been closed
// meanwhile; the call goes on with the file it began with, as on Linux).
ErrorOr<FileRef> prepare_io(Thread& t, const IoCall& call, Iovec* iov, size_t room, FileRef again = {}) {
    FileRef f = again ? std::move(again) : file_of(t, call.fd);
    if (!f) return Error(Errno::BADF);
    if (call.positioned && !f->seekable()) return Error(Errno::SPIPE);
    if (!call.vector) {
        iov[0] = {call.buf, call.len > kMaxRw ? kMaxRw : call.len};
        TRY(check_io(*f.get(), call.writing, iov, 1));
        if (!user_range_ok(iov[0].base, iov[0].len)) return Error(Errno::FAULT);
        return f;
    }
    if (call.len > kIovMax) return Error(Errno::INVAL);
    if (call.len > room) return Error(Errno::WAITS);
    TRY(copy_from_user(*t.process->space, iov, call.buf, call.len * sizeof(Iovec)));
    TRY(check_io(*f.get(), call.writing, iov, call.len));
    return f;
}

size_t iov_count(const IoCall& call) { return call.vector ? call.len : 1; }

// The immediate half of every read and write call: one try. It answers WAITS when the call has
// to wait for the file. With nothing moved, it leaves the file in the thread: the thread's loop
// waits for it and runs this again (a terminal read with a deadline, VTIME, goes to the async
// half instead). A blocking write that moved part of its bytes hands the file and the count to
// the async half, so the rest goes to the same file. Run again after a wait, it finds the file
// in the thread (prepare_io).
long io_now(Thread& t, ErrorOr<IoCall> parsed) {
    FileRef again = std::move(t.io_file);
    if (parsed.is_error()) return error_result(parsed.error());
    const IoCall& call = parsed.value();
    Iovec iov[kIovRoom];
    auto prepared = prepare_io(t, call, iov, kIovRoom, std::move(again));
    if (prepared.is_error()) return error_result(prepared.error());
    FileRef f = prepared.release_value();
    size_t count = iov_count(call);
    if (auto c = f->check_job_control(t, call.writing); c.is_error()) return error_result(c.error());
    bool nonblocking = (f->flags() & kONonblock) || !f->readiness();
    auto r = transfer(t, *f.get(), call.writing, iov, count, call.positioned ? &call.offset : nullptr, 0);
    if (r.is_error()) {
        if (call.writing && r.error().code == Errno::PIPE) raise_sigpipe(t);
        if (r.error().code == Errno::AGAIN && !nonblocking) {
            if (call.writing || f->read_deadline(platform::now_ns()) == kNoDeadline) {
                t.io_file = std::move(f);
                t.io_writing = call.writing;
            }
            return error_result(Errno::WAITS);
        }
        return error_result(r.error());
    }
    size_t moved = r.value(), total = 0;
    for (size_t i = 0; i < count; ++i) total += iov[i].len;
    if (!call.writing || !f->stream() || moved == 0 || moved == total || nonblocking) return static_cast<long>(moved);
    t.io_file = std::move(f);
    t.io_moved = static_cast<uint32_t>(moved);
    return error_result(Errno::WAITS);
}

// transfer(), waiting for the file to become ready while it answers AGAIN (unless O_NONBLOCK),
// `moved` bytes in already. A read ends with what it got; a write to a stream goes on until all
// of it is written (POSIX asks that of a blocking pipe write), an error, or a signal (then it answers what
// it wrote). A signal before anything moved ends the call: it is restarted, or ends with EINTR
// (ERESTARTSYS). A terminal may stop the caller first (job control), or end a read's wait at a
// deadline (VTIME). `try_first`: false after a try that found the file not ready (or a write
// that moved part and must wait for room): then it waits first.
Task<long> blocking_transfer(Thread& t, FileRef file, bool writing, const Iovec* iov, size_t count, const int64_t* offset,
                             size_t moved, bool try_first) {
    uint32_t want = writing ? kPollOut : kPollIn;
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) total += iov[i].len;
    uint64_t started = 0;  // when the read began waiting
    for (bool try_now = try_first;; try_now = true) {
        if (try_now) {
            if (auto c = file->check_job_control(t, writing); c.is_error())
                co_return moved ? static_cast<long>(moved) : error_result(c.error());
            auto r = transfer(t, *file.get(), writing, iov, count, offset, moved);
            if (!r.is_error()) {
                moved += r.value();
                if (!writing || !file->stream() || r.value() == 0 || moved == total || (file->flags() & kONonblock))
                    co_return static_cast<long>(moved);
            } else {
                if (writing && r.error().code == Errno::PIPE) raise_sigpipe(t);
                if (moved) co_return static_cast<long>(moved);
                if (r.error().code != Errno::AGAIN || (file->flags() & kONonblock) || !file->readiness())
                    co_return error_result(r.error());
            }
        }
        WaitQueue* ready = file->readiness();
        if (!ready) co_return static_cast<long>(moved);
        uint64_t deadline = kNoDeadline;
        if (!writing) {
            uint64_t now = platform::now_ns();
            if (!started) started = now;
            deadline = file->read_deadline(started);
            if (now >= deadline) co_return 0;
        }
        File* f = file.get();
        auto w = co_await ready->wait([f, want] { return (f->poll() & (want | kPollErr | kPollHup)) != 0; },
                                      {.mask = want | kPollErr | kPollHup, .deadline_ns = deadline, .cancel = &t.cancel});
        if (w == WaitResult::Cancelled) co_return moved ? static_cast<long>(moved) : error_result(Errno::RESTARTSYS);
    }
}

// The async half of every read and write call: the call again, from the start or from what the
// immediate half handed over, waiting as long as it must.
Task<long> io_wait(Thread& t, ErrorOr<IoCall> parsed) {
    if (parsed.is_error()) co_return error_result(parsed.error());
    IoCall call = parsed.value();
    size_t count = iov_count(call);
    Iovec room[kIovRoom];  // the frame holds short vectors; a longer one goes on the heap
    Iovec* iov = count <= kIovRoom ? room : new (std::nothrow) Iovec[count];
    if (!iov) co_return error_result(Errno::NOMEM);
    long result;
    size_t moved = t.io_moved;
    FileRef handed = moved ? std::move(t.io_file) : FileRef();
    t.io_moved = 0;
    auto prepared = prepare_io(t, call, iov, count);
    if (prepared.is_error()) {
        result = moved ? static_cast<long>(moved) : error_result(prepared.error());
    } else {
        FileRef f = handed ? std::move(handed) : prepared.release_value();
        // The immediate half tried, unless the vector was too long for it: then waiting
        // comes first.
        bool tried = count <= kIovRoom;
        result = co_await blocking_transfer(t, std::move(f), call.writing, iov, count,
                                            call.positioned ? &call.offset : nullptr, moved, !tried);
    }
    if (iov != room) delete[] iov;
    co_return result;
}

}  // namespace

long read_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, false, IoKind::Plain)); }
long write_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, true, IoKind::Plain)); }
long readv_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, false, IoKind::Vector)); }
long writev_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, true, IoKind::Vector)); }
long pread64_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, false, IoKind::Positioned)); }
long pwrite64_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, true, IoKind::Positioned)); }
long preadv_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, false, IoKind::PositionedVector)); }
long pwritev_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, true, IoKind::PositionedVector)); }
long preadv2_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, false, IoKind::PositionedVector2)); }
long pwritev2_now(Thread& t, const SyscallArgs& a) { return io_now(t, io_call(a, true, IoKind::PositionedVector2)); }

Task<long> read(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, false, IoKind::Plain)); }
Task<long> write(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, true, IoKind::Plain)); }
Task<long> readv(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, false, IoKind::Vector)); }
Task<long> writev(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, true, IoKind::Vector)); }
Task<long> pread64(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, false, IoKind::Positioned)); }
Task<long> pwrite64(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, true, IoKind::Positioned)); }
Task<long> preadv(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, false, IoKind::PositionedVector)); }
Task<long> pwritev(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, true, IoKind::PositionedVector)); }
Task<long> preadv2(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, false, IoKind::PositionedVector2)); }
Task<long> pwritev2(Thread& t, SyscallArgs a) { return io_wait(t, io_call(a, true, IoKind::PositionedVector2)); }

namespace {

// A window of the caller's own space that sendfile, splice and tee move bytes through: whole
// pages at a free place, an object's or fresh ones, unmapped as the window goes.
class UserWindow {
public:
    explicit UserWindow(AddressSpace& space) : m_space(space) {}
    ~UserWindow() {
        if (m_len) (void)m_space.remove_range(m_start, m_len);
    }
    UserWindow(const UserWindow&) = delete;
    // Maps `len` bytes (a page multiple) with `prot`: `object`'s pages from `object_page` on, or
    // fresh ones. Returns where.
    ErrorOr<uint64_t> map(uint64_t len, uint32_t prot, MemoryObject* object = nullptr, uint64_t object_page = 0) {
        uint64_t start = TRY(m_space.find_gap(0, len));
        TRY(m_space.add_region(start, len, prot, object, object_page));
        m_start = start, m_len = len;
        return start;
    }

private:
    AddressSpace& m_space;
    uint64_t m_start = 0, m_len = 0;
};

constexpr uint64_t kPipeChunk = 64 * 1024;  // the most splice or tee takes out of a pipe at once

// sendfile and copy_file_range: `count` bytes of `in` (a tmpfs file) from `offset` go to
// `out` as write(2) would write them (at `out_offset`, or its position). The source's pages are
// mapped for the call into a window of the caller's own space (read-only, the file's own
// pages), and the write reads them from there: no copy of our own, no kernel buffer.
Task<long> copy_from_file(Thread& t, File& in, FileRef out, uint64_t offset, uint64_t count, const int64_t* out_offset) {
    Inode& inode = *in.path()->inode();
    MemoryObject* object = tmpfs_memory(inode);
    uint64_t size = inode.size();
    if (offset >= size || count == 0) co_return 0;
    if (count > size - offset) count = size - offset;
    uint64_t first = offset / kPageSize * kPageSize, len = page_round_up(offset + count) - first;
    UserWindow window(*t.process->space);
    auto at = window.map(len, kProtRead, object, first / kPageSize);
    if (at.is_error()) co_return error_result(at.error());
    Iovec iov{at.value() + (offset - first), count};
    co_return co_await blocking_transfer(t, std::move(out), true, &iov, 1, out_offset, 0, true);
}

// A user offset argument: *addr, EFAULT, or EINVAL if negative.
ErrorOr<int64_t> read_offset(Thread& t, uint64_t addr) {
    int64_t offset;
    TRY(UserPtr<int64_t>(addr).read(*t.process->space, offset));
    if (offset < 0) return Error(Errno::INVAL);
    return offset;
}

// sendfile's and splice's move out of a tmpfs file: `count` bytes of `in` go to `out`, from
// `offset` (read from user address `offset_addr`, and the new offset written back there) or, if
// offset_addr is 0, from in's position (which moves).
Task<long> send_from_file(Thread& t, FileRef in, FileRef out, uint64_t count, uint64_t offset_addr, int64_t offset) {
    if (!offset_addr) offset = static_cast<int64_t>(in->position.load());
    File& source = *in.get();
    long n = co_await copy_from_file(t, source, std::move(out), static_cast<uint64_t>(offset), count, nullptr);
    if (n > 0) {
        if (offset_addr) (void)UserPtr<int64_t>(offset_addr).write(*t.process->space, offset + n);
        else in->position.store(static_cast<uint64_t>(offset + n));
    }
    co_return n;
}

// The source of a copy: readable, and a file whose bytes are a memory object.
ErrorOr<void> check_source(const File& in) {
    if (!in.readable()) return Error(Errno::BADF);
    if (!in.path() || !tmpfs_memory(*in.path()->inode())) return Error(in.path() && in.path()->inode()->is_dir() ? Errno::ISDIR : Errno::INVAL);
    return {};
}

}  // namespace

// sendfile(out_fd, in_fd, offset, count): from `offset` (then updated) or in's position.
Task<long> sendfile(Thread& t, SyscallArgs a) {
    FileRef out = file_of(t, a.a[0]), in = file_of(t, a.a[1]);
    if (!out || !in) co_return error_result(Errno::BADF);
    if (auto c = check_source(*in.get()); c.is_error()) co_return error_result(c.error());
    if (!out->writable()) co_return error_result(Errno::BADF);
    if (out->flags() & kOAppend) co_return error_result(Errno::INVAL);
    uint64_t count = a.a[3] > kMaxRw ? kMaxRw : a.a[3];
    int64_t offset = 0;
    if (a.a[2]) {
        auto r = read_offset(t, a.a[2]);
        if (r.is_error()) co_return error_result(r.error());
        offset = r.value();
    }
    co_return co_await send_from_file(t, std::move(in), std::move(out), count, a.a[2], offset);
}

namespace {

// splice's move out of a pipe: what one read of it gives (at most `len` bytes, 64 KiB) goes into
// a window of fresh pages in the caller's space, and from there all of it to `out`.
Task<long> splice_from_pipe(Thread& t, FileRef in, FileRef out, uint64_t len, bool nonblock, const int64_t* out_offset) {
    if (len > kPipeChunk) len = kPipeChunk;
    UserWindow window(*t.process->space);
    auto at = window.map(page_round_up(len), kProtRead | kProtWrite);
    if (at.is_error()) co_return error_result(at.error());
    Iovec iov{at.value(), len};
    long got;
    if (nonblock) {
        auto r = transfer(t, *in.get(), false, &iov, 1, nullptr, 0);
        got = r.is_error() ? error_result(r.error()) : static_cast<long>(r.value());
    } else {
        got = co_await blocking_transfer(t, std::move(in), false, &iov, 1, nullptr, 0, true);
    }
    if (got <= 0) co_return got;
    iov.len = static_cast<uint64_t>(got);
    co_return co_await blocking_transfer(t, std::move(out), true, &iov, 1, out_offset, 0, true);
}

}  // namespace

// splice(fd_in, off_in, fd_out, off_out, len, flags): up to `len` bytes between two files of
// which one is a pipe. Out of a tmpfs file, its pages are mapped into a window of the caller's
// space and written to the pipe from there, as sendfile does. Out of a pipe, one read's worth
// (64 KiB at most) goes through a window of fresh pages and is written out whole; if that write
// fails, the bytes read are lost (Linux leaves them in the pipe). SPLICE_F_NONBLOCK makes the
// pipe side not wait (EAGAIN); MOVE, MORE and GIFT are hints. 0 at the end of the input.
Task<long> splice(Thread& t, SyscallArgs a) {
    constexpr uint64_t kKnownFlags = 0xf, kSpliceNonblock = 2;
    if (a.a[5] & ~kKnownFlags) co_return error_result(Errno::INVAL);
    FileRef in = file_of(t, a.a[0]), out = file_of(t, a.a[2]);
    if (!in || !out || !in->readable() || !out->writable()) co_return error_result(Errno::BADF);
    Pipe* in_pipe = pipe_of(*in.get());
    Pipe* out_pipe = pipe_of(*out.get());
    if ((!in_pipe && !out_pipe) || (in_pipe && in_pipe == out_pipe)) co_return error_result(Errno::INVAL);
    if ((in_pipe && a.a[1]) || (out_pipe && a.a[3])) co_return error_result(Errno::SPIPE);
    if (out->flags() & kOAppend) co_return error_result(Errno::INVAL);
    bool nonblock = a.a[5] & kSpliceNonblock;
    uint64_t len = a.a[4] > kMaxRw ? kMaxRw : a.a[4];
    int64_t in_offset = 0, out_offset = 0;
    if (a.a[1]) {
        auto r = read_offset(t, a.a[1]);
        if (r.is_error()) co_return error_result(r.error());
        in_offset = r.value();
    }
    if (a.a[3]) {
        auto r = read_offset(t, a.a[3]);
        if (r.is_error()) co_return error_result(r.error());
        out_offset = r.value();
    }
    if (len == 0) co_return 0;
    if (in_pipe) {
        long n = co_await splice_from_pipe(t, std::move(in), std::move(out), len, nonblock, a.a[3] ? &out_offset : nullptr);
        if (n > 0 && a.a[3]) (void)UserPtr<int64_t>(a.a[3]).write(*t.process->space, out_offset + n);
        co_return n;
    }
    if (auto c = check_source(*in.get()); c.is_error()) co_return error_result(c.error());
    if (nonblock && !(out->poll() & kPollOut)) co_return error_result(Errno::AGAIN);
    co_return co_await send_from_file(t, std::move(in), std::move(out), len, a.a[1], in_offset);
}

// tee(fd_in, fd_out, len, flags): a copy of up to `len` bytes at the head of pipe fd_in (64 KiB
// at most) is written to pipe fd_out, and fd_in keeps them; through a window of fresh pages in
// the caller's space, as splice out of a pipe. EINVAL unless both are pipes, different ones, and
// the flags known; SPLICE_F_NONBLOCK answers EAGAIN rather than waiting for bytes or room.
Task<long> tee(Thread& t, SyscallArgs a) {
    constexpr uint64_t kKnownFlags = 0xf, kSpliceNonblock = 2;
    if (a.a[3] & ~kKnownFlags) co_return error_result(Errno::INVAL);
    FileRef in = file_of(t, a.a[0]), out = file_of(t, a.a[1]);
    if (!in || !out || !in->readable() || !out->writable()) co_return error_result(Errno::BADF);
    Pipe* from = pipe_of(*in.get());
    Pipe* to = pipe_of(*out.get());
    if (!from || !to || from == to) co_return error_result(Errno::INVAL);
    bool nonblock = a.a[3] & kSpliceNonblock;
    uint64_t len = a.a[2] < kPipeChunk ? a.a[2] : kPipeChunk;
    if (len == 0) co_return 0;
    UserWindow window(*t.process->space);
    auto at = window.map(page_round_up(len), kProtRead | kProtWrite);
    if (at.is_error()) co_return error_result(at.error());
    long result;
    for (;;) {
        auto r = from->peek(*t.process->space, at.value(), len);
        if (!r.is_error() || r.error().code != Errno::AGAIN || nonblock) {
            result = r.is_error() ? error_result(r.error()) : static_cast<long>(r.value());
            break;
        }
        File* f = in.get();
        auto w = co_await from->readiness().wait([f] { return (f->poll() & (kPollIn | kPollHup)) != 0; },
                                                 {.mask = kPollIn | kPollHup, .cancel = &t.cancel});
        if (w == WaitResult::Cancelled) {
            result = error_result(Errno::RESTARTSYS);
            break;
        }
    }
    if (result <= 0) co_return result;
    if (nonblock && !(out->poll() & kPollOut)) co_return error_result(Errno::AGAIN);
    Iovec iov{at.value(), static_cast<uint64_t>(result)};
    co_return co_await blocking_transfer(t, std::move(out), true, &iov, 1, nullptr, 0, true);
}

// copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): between regular files.
Task<long> copy_file_range(Thread& t, SyscallArgs a) {
    if (a.a[5]) co_return error_result(Errno::INVAL);
    FileRef in = file_of(t, a.a[0]), out = file_of(t, a.a[2]);
    if (!in || !out) co_return error_result(Errno::BADF);
    if (auto c = check_source(*in.get()); c.is_error()) co_return error_result(c.error());
    if (!out->writable() || (out->flags() & kOAppend)) co_return error_result(Errno::BADF);
    if (!out->path() || !out->path()->inode()->is_regular())
        co_return error_result(out->path() && out->path()->inode()->is_dir() ? Errno::ISDIR : Errno::INVAL);
    int64_t off_in, off_out;
    AddressSpace& space = *t.process->space;
    if (a.a[1]) {
        if (auto r = UserPtr<int64_t>(a.a[1]).read(space, off_in); r.is_error()) co_return error_result(r.error());
    } else {
        off_in = static_cast<int64_t>(in->position.load());
    }
    if (a.a[3]) {
        if (auto r = UserPtr<int64_t>(a.a[3]).read(space, off_out); r.is_error()) co_return error_result(r.error());
    } else {
        off_out = static_cast<int64_t>(out->position.load());
    }
    uint64_t count = a.a[4] > kMaxRw ? kMaxRw : a.a[4];
    if (off_in < 0 || off_out < 0) co_return error_result(Errno::INVAL);
    // The same file: the ranges must not overlap.
    if (in->path()->inode() == out->path()->inode() && static_cast<uint64_t>(off_in) < off_out + count &&
        static_cast<uint64_t>(off_out) < off_in + count)
        co_return error_result(Errno::INVAL);
    File& source = *in.get();
    File& dest = *out.get();
    dest.retain();
    FileRef dest_held(&dest);  // for its position after the write lets go of `out`
    long n = co_await copy_from_file(t, source, std::move(out), static_cast<uint64_t>(off_in), count, &off_out);
    if (n > 0) {
        if (a.a[1]) (void)UserPtr<int64_t>(a.a[1]).write(space, off_in + n);
        else in->position.store(static_cast<uint64_t>(off_in + n));
        if (a.a[3]) (void)UserPtr<int64_t>(a.a[3]).write(space, off_out + n);
        else dest.position.store(static_cast<uint64_t>(off_out + n));
    }
    co_return n;
}

// posix_fadvise: advice on the access pattern, which files in memory have no use for; checked
// as Linux checks it.
long fadvise64(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->seekable()) return error_result(Errno::SPIPE);
    if (a.a[3] > 5 || static_cast<int64_t>(a.a[2]) < 0) return error_result(Errno::INVAL);
    return 0;
}

long lseek(Thread& t, const SyscallArgs& a) {
    enum : uint64_t { kSet = 0, kCur = 1, kEnd = 2, kData = 3, kHole = 4 };
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    if (!f->seekable()) return error_result(Errno::SPIPE);
    int64_t offset = static_cast<int64_t>(a.a[1]);
    int64_t size = f->stat().size, base;
    switch (a.a[2]) {
    case kSet: base = 0; break;
    case kCur: base = static_cast<int64_t>(f->position.load()); break;
    case kEnd: base = size; break;
    // No holes in these files: data runs from 0 to the end, the one hole starts there.
    case kData:
    case kHole:
        if (offset < 0) return error_result(Errno::INVAL);
        if (offset >= size) return error_result(Errno::NXIO);
        if (a.a[2] == kHole) offset = size;
        base = 0;
        break;
    default: return error_result(Errno::INVAL);
    }
    int64_t pos;
    if (__builtin_add_overflow(base, offset, &pos) || pos < 0) return error_result(Errno::INVAL);
    f->position.store(static_cast<uint64_t>(pos));
    return pos;
}

long umask(Thread& t, const SyscallArgs& a) {
    uint32_t old = t.process->umask;
    t.process->umask = static_cast<uint32_t>(a.a[0]) & 0777;
    return old;
}

long close(Thread& t, const SyscallArgs& a) {
    if (a.a[0] > INT32_MAX) return error_result(Errno::BADF);
    return to_result(t.process->files->close(static_cast<int>(a.a[0])));
}

long dup(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    return to_result(t.process->files->install(std::move(f), false, 0, nofile_limit(t)));
}

long dup3(Thread& t, const SyscallArgs& a) {
    uint64_t old_fd = a.a[0], new_fd = a.a[1], flags = a.a[2];
    if (flags & ~uint64_t{kOCloexec}) return error_result(Errno::INVAL);
    if (old_fd == new_fd) return error_result(Errno::INVAL);
    if (old_fd > INT32_MAX || new_fd > INT32_MAX) return error_result(Errno::BADF);
    return to_result(t.process->files->duplicate_to(static_cast<int>(old_fd), static_cast<int>(new_fd),
                                                    flags & kOCloexec, nofile_limit(t)));
}

namespace {

enum : uint64_t { kGetlk = 5, kSetlk = 6, kSetlkw = 7, kOfdGetlk = 36, kOfdSetlk = 37, kOfdSetlkw = 38 };

// POSIX record locks (F_SETLK and friends, and the OFD ones) are advisory and not enforced
// here: every request that Linux would accept succeeds, F_GETLK always finds the range free,
// and nobody ever waits. The arguments are checked as Linux checks them. (flock(2) locks are
// real: flock.hpp.)
long record_lock(Thread& t, File& f, uint64_t command, uint64_t arg) {
    struct Flock {
        int16_t type, whence;
        int64_t start, len;
        int32_t pid;
    } lock;
    constexpr int16_t kRdlck = 0, kWrlck = 1, kUnlck = 2;
    if (auto r = UserPtr<Flock>(arg).read(*t.process->space, lock); r.is_error()) return error_result(r.error());
    if (lock.type != kRdlck && lock.type != kWrlck && lock.type != kUnlck) return error_result(Errno::INVAL);
    if (lock.whence < 0 || lock.whence > 2) return error_result(Errno::INVAL);
    bool ofd = command >= kOfdGetlk;
    if (ofd && lock.pid != 0) return error_result(Errno::INVAL);
    if (command == kGetlk || command == kOfdGetlk) {
        if (lock.type == kUnlck) return error_result(Errno::INVAL);
        lock.type = kUnlck;
        return to_result(UserPtr<Flock>(arg).write(*t.process->space, lock));
    }
    if (lock.type == kRdlck && !f.readable()) return error_result(Errno::BADF);
    if (lock.type == kWrlck && !f.writable()) return error_result(Errno::BADF);
    return 0;
}

}  // namespace

long fcntl(Thread& t, const SyscallArgs& a) {
    enum : uint64_t { kDupfd = 0, kGetfd = 1, kSetfd = 2, kGetfl = 3, kSetfl = 4, kDupfdCloexec = 1030 };
    constexpr uint64_t kFdCloexec = 1;
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    FdTable& files = *t.process->files;
    int fd = static_cast<int>(a.a[0]);
    uint64_t arg = a.a[2];
    switch (a.a[1]) {
    case kDupfd:
    case kDupfdCloexec:
        if (arg >= nofile_limit(t) || arg > INT32_MAX) return error_result(Errno::INVAL);
        return to_result(files.install(std::move(f), a.a[1] == kDupfdCloexec, static_cast<int>(arg), nofile_limit(t)));
    case kGetfd: {
        auto c = files.cloexec(fd);
        if (c.is_error()) return error_result(c.error());
        return c.value() ? kFdCloexec : 0;
    }
    case kSetfd: return to_result(files.set_cloexec(fd, arg & kFdCloexec));
    case kGetfl: return f->flags() & ~kOCloexec;
    case kSetfl: f->set_status_flags(static_cast<uint32_t>(arg)); return 0;
    case kGetlk:
    case kSetlk:
    case kSetlkw:
    case kOfdGetlk:
    case kOfdSetlk:
    case kOfdSetlkw: return record_lock(t, *f.get(), a.a[1], arg);
    default:
        // The kind's own commands (F_SETPIPE_SZ...); locks and leases come with the VFS.
        if (a.a[1] > UINT32_MAX) return error_result(Errno::INVAL);
        return to_result(f->fcntl(t, static_cast<uint32_t>(a.a[1]), arg));
    }
}

long ioctl(Thread& t, const SyscallArgs& a) {
    enum : uint64_t { kFionclex = 0x5450, kFioclex = 0x5451, kFionbio = 0x5421 };
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    int fd = static_cast<int>(a.a[0]);
    switch (a.a[1]) {
    case kFioclex: return to_result(t.process->files->set_cloexec(fd, true));
    case kFionclex: return to_result(t.process->files->set_cloexec(fd, false));
    case kFionbio: {
        int on;
        if (auto r = UserPtr<int>(a.a[2]).read(*t.process->space, on); r.is_error()) return error_result(r.error());
        f->set_status_flags(on ? f->flags() | kONonblock : f->flags() & ~kONonblock);
        return 0;
    }
    default:
        if (a.a[1] > UINT32_MAX) return error_result(Errno::NOTTY);
        return to_result(f->ioctl(t, static_cast<uint32_t>(a.a[1]), a.a[2]));
    }
}

long fstat(Thread& t, const SyscallArgs& a) {
    FileRef f = file_of(t, a.a[0]);
    if (!f) return error_result(Errno::BADF);
    return to_result(UserPtr<Stat>(a.a[1]).write(*t.process->space, f->stat()));
}

}  // namespace rt::sys
