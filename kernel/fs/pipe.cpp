#include "pipe.hpp"

#include <new>

#include "kernel/mm/address.hpp"
#include "kernel/mm/user_access.hpp"
#include "kernel/proc/process.hpp"

namespace rt {
namespace {

std::atomic<uint64_t> g_next_ino{1};
constexpr uint64_t kPipeFsDev = 0xd;  // an anonymous device, as Linux's pipefs has
constexpr uint32_t kFionread = 0x541b;
constexpr uint32_t kFSetpipeSz = 1031, kFGetpipeSz = 1032;

// An open file on a pipe: which sides it is, and a reference to the pipe.
class PipeEnd final : public File {
public:
    static constexpr FileKind kKind{"pipe"};
    const FileKind* kind() const override { return &kKind; }
    Pipe& pipe() const { return m_pipe; }

    PipeEnd(Pipe& pipe, uint32_t flags) : File(flags), m_pipe(pipe) {
        pipe.retain();
        pipe.end_opened(readable(), writable());
    }
    ~PipeEnd() override {
        m_pipe.end_closed(readable(), writable());
        m_pipe.release();
    }

    ErrorOr<size_t> read(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        return m_pipe.read(space, buf, len);
    }
    ErrorOr<size_t> write(AddressSpace& space, uint64_t buf, size_t len, uint64_t) override {
        return m_pipe.write(space, buf, len);
    }
    Stat stat() const override { return m_pipe.stat(); }
    uint32_t poll() const override { return m_pipe.poll(readable(), writable()); }
    bool stream() const override { return true; }
    WaitQueue* readiness() override { return &m_pipe.readiness(); }

    ErrorOr<long> ioctl(Thread& caller, uint32_t request, uint64_t arg) override {
        if (request != kFionread) return File::ioctl(caller, request, arg);
        int n = static_cast<int>(m_pipe.available());
        TRY(UserPtr<int>(arg).write(*caller.process->space, n));
        return 0;
    }
    ErrorOr<long> fcntl(Thread& caller, uint32_t command, uint64_t arg) override {
        switch (command) {
        case kFGetpipeSz: return static_cast<long>(m_pipe.capacity());
        case kFSetpipeSz:
            // Linux takes the size as an unsigned int: the upper half of the word is dropped.
            return static_cast<long>(TRY(m_pipe.resize(static_cast<uint32_t>(arg), caller.process->creds.privileged())));
        default: return File::fcntl(caller, command, arg);
        }
    }

private:
    Pipe& m_pipe;
};

size_t min(size_t a, size_t b) { return a < b ? a : b; }

}  // namespace

Pipe* pipe_of(File& file) {
    PipeEnd* end = file_cast<PipeEnd>(&file);
    return end ? &end->pipe() : nullptr;
}

Pipe* Pipe::create(uint32_t uid, uint32_t gid) {
    return new (std::nothrow) Pipe(uid, gid, g_next_ino.fetch_add(1, std::memory_order_relaxed));
}

File* Pipe::open_end(uint32_t flags) { return new (std::nothrow) PipeEnd(*this, flags); }

uint32_t Pipe::readers() {
    SpinLockGuard g(m_lock);
    return m_readers;
}

uint32_t Pipe::writers() {
    SpinLockGuard g(m_lock);
    return m_writers;
}

void Pipe::end_opened(bool reader, bool writer) {
    {
        SpinLockGuard g(m_lock);
        m_readers += reader;
        m_writers += writer;
    }
    m_readiness.notify();  // a FIFO's open may be waiting for this side
}

void Pipe::end_closed(bool reader, bool writer) {
    uint32_t events = 0;
    {
        SpinLockGuard g(m_lock);
        m_readers -= reader;
        m_writers -= writer;
        if (writer && !m_writers) events |= kPollIn | kPollHup;   // readers see the end
        if (reader && !m_readers) events |= kPollOut | kPollErr;  // writers see EPIPE
    }
    if (events) m_readiness.notify(events);
}

ErrorOr<size_t> Pipe::take(AddressSpace& space, uint64_t buf, size_t len, bool consume) {
    if (len == 0) return size_t{0};
    size_t head, n, capacity;
    const char* data;
    {
        SpinLockGuard g(m_lock);
        if (!m_count) {
            if (!m_writers) return size_t{0};
            return Error(Errno::AGAIN);
        }
        if (m_reading) {
            m_reader_turned_away = true;
            return Error(Errno::AGAIN);
        }
        m_reading = true;
        head = m_head;
        n = min(len, m_count);
        capacity = m_capacity;
        data = m_buffer;
    }
    // The bytes may wrap around the end of the ring: two copies then.
    size_t first = min(n, capacity - head), done = 0;
    auto r = copy_to_user(space, buf, data + head, first);
    if (!r.is_error()) {
        done = first;
        if (n > first && !copy_to_user(space, buf + first, data, n - first).is_error()) done = n;
    }
    uint32_t events = 0;
    {
        SpinLockGuard g(m_lock);
        m_reading = false;
        bool was_full = free_locked() < kPipeBuf;
        if (consume) {
            m_head = (m_head + done) % m_capacity;
            m_count -= done;
        }
        if (was_full && free_locked() >= kPipeBuf) events |= kPollOut;
        if (m_reader_turned_away && m_count) events |= kPollIn;
        m_reader_turned_away = false;
    }
    if (events) m_readiness.notify(events);
    if (!done) return r.error();
    return done;
}

ErrorOr<size_t> Pipe::write(AddressSpace& space, uint64_t buf, size_t len) {
    if (len == 0) return size_t{0};
    size_t tail, n, capacity;
    char* data;
    {
        SpinLockGuard g(m_lock);
        if (!m_readers) return Error(Errno::PIPE);
        if (m_writing) {
            m_writer_turned_away = true;
            return Error(Errno::AGAIN);
        }
        // Up to kPipeBuf bytes go in at once or not at all; more may be split.
        size_t room = free_locked();
        if (len <= kPipeBuf ? room < len : room == 0) return Error(Errno::AGAIN);
        m_writing = true;
        tail = (m_head + m_count) % m_capacity;
        n = min(len, room);
        capacity = m_capacity;
        data = m_buffer;
    }
    ErrorOr<void> r{};
    if (!data) {
        // The claim keeps other writers (and resize) away; readers have nothing to read yet.
        data = new (std::nothrow) char[capacity];
        if (data) {
            SpinLockGuard g(m_lock);
            m_buffer = data;
        } else {
            r = Error(Errno::NOMEM);
        }
    }
    size_t done = 0;
    if (data) {
        size_t first = min(n, capacity - tail);
        r = copy_from_user(space, data + tail, buf, first);
        if (!r.is_error()) {
            done = first;
            if (n > first && !copy_from_user(space, data, buf + first, n - first).is_error()) done = n;
        }
    }
    uint32_t events = 0;
    {
        SpinLockGuard g(m_lock);
        m_writing = false;
        m_count += done;
        if (done) events |= kPollIn;
        if (m_writer_turned_away && free_locked() >= kPipeBuf) events |= kPollOut;
        m_writer_turned_away = false;
    }
    if (events) m_readiness.notify(events);
    if (!done) return r.error();
    return done;
}

uint32_t Pipe::poll(bool reader, bool writer) {
    uint32_t mask = 0;
    SpinLockGuard g(m_lock);
    if (reader) {
        if (m_count) {
            if (m_reading) m_reader_turned_away = true;  // told when the claim ends
            else mask |= kPollIn | kPollRdnorm;
        }
        if (!m_writers) mask |= kPollHup;
    }
    if (writer) {
        if (free_locked() >= kPipeBuf) {
            if (m_writing) m_writer_turned_away = true;
            else mask |= kPollOut | kPollWrnorm;
        }
        if (!m_readers) mask |= kPollErr;
    }
    return mask;
}

size_t Pipe::available() {
    SpinLockGuard g(m_lock);
    return m_count;
}

size_t Pipe::capacity() {
    SpinLockGuard g(m_lock);
    return m_capacity;
}

ErrorOr<size_t> Pipe::resize(uint64_t size, bool privileged) {
    if (size > (uint64_t{1} << 31)) return Error(Errno::INVAL);
    size_t capacity = kPageSize;
    while (capacity < size) capacity *= 2;
    if (capacity > kPipeMaxUserSize && !privileged) return Error(Errno::PERM);
    auto* fresh = new (std::nothrow) char[capacity];
    if (!fresh) return Error(Errno::NOMEM);
    char* old = fresh;  // freed below if nothing changes
    for (;;) {
        {
            SpinLockGuard g(m_lock);
            // A claim lasts one copy on another hart: wait it out as for a lock.
            if (!m_reading && !m_writing) {
                if (m_count <= capacity) {
                    // At most `capacity` bytes, copied with interrupts off; resizing is rare.
                    for (size_t i = 0; i < m_count; ++i) fresh[i] = m_buffer[(m_head + i) % m_capacity];
                    old = m_buffer;
                    m_buffer = fresh;
                    m_capacity = capacity;
                    m_head = 0;
                    fresh = nullptr;
                }
                break;
            }
        }
        platform::cpu_relax();
    }
    delete[] old;
    if (fresh) return Error(Errno::BUSY);
    m_readiness.notify(kPollOut);  // more room, perhaps
    return capacity;
}

Stat Pipe::stat() const {
    Stat s{};
    s.dev = kPipeFsDev;
    s.ino = m_ino;
    s.mode = 010000 | 0600;  // S_IFIFO, rw-------
    s.nlink = 1;
    s.uid = m_uid;
    s.gid = m_gid;
    s.blksize = kPageSize;
    return s;
}

ErrorOr<PipeEnds> make_pipe(uint32_t flags, uint32_t uid, uint32_t gid) {
    Pipe* pipe = Pipe::create(uid, gid);
    if (!pipe) return Error(Errno::NOMEM);
    uint32_t nonblock = flags & kONonblock;
    PipeEnds ends{FileRef(pipe->open_end(kORdonly | nonblock)), FileRef(pipe->open_end(kOWronly | nonblock))};
    pipe->release();  // the ends hold it now
    if (!ends.reader || !ends.writer) return Error(Errno::NOMEM);
    return ends;
}

}  // namespace rt
