#pragma once
// ErrorOr<T>: a value or a Linux errno. No exceptions in the kernel; every failure is a value.
#include <new>
#include <type_traits>
#include <utility>

#include "errno.hpp"

namespace rt {

struct Error {
    Errno code;
    constexpr Error(Errno e) : code(e) {}
    // The Linux system-call convention: a negative errno.
    constexpr long as_syscall_result() const { return -static_cast<long>(code); }
    constexpr bool operator==(const Error&) const = default;
};

// The system-call form of an error (kernel code outside kernel/syscall returns these too).
inline long error_result(Error e) { return e.as_syscall_result(); }

template <typename T>
class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& v) : m_ok(true) { new (&m_value) T(v); }
    ErrorOr(T&& v) : m_ok(true) { new (&m_value) T(std::move(v)); }
    ErrorOr(Error e) : m_ok(false), m_error(e) {}
    ErrorOr(Errno e) : ErrorOr(Error(e)) {}
    ErrorOr(ErrorOr&& o) : m_ok(o.m_ok) {
        if (m_ok) new (&m_value) T(std::move(o.m_value));
        else m_error = o.m_error;
    }
    ErrorOr(const ErrorOr&) = delete;
    ErrorOr& operator=(const ErrorOr&) = delete;
    ErrorOr& operator=(ErrorOr&& o) {
        if (this != &o) {
            this->~ErrorOr();
            new (this) ErrorOr(std::move(o));
        }
        return *this;
    }
    ~ErrorOr() {
        if (m_ok) m_value.~T();
    }

    bool is_error() const { return !m_ok; }
    explicit operator bool() const { return m_ok; }
    Error error() const { return m_error; }
    T& value() & { return m_value; }
    T&& value() && { return std::move(m_value); }
    T release_value() { return std::move(m_value); }
    T* operator->() { return &m_value; }
    T& operator*() { return m_value; }

private:
    bool m_ok;
    union {
        T m_value;
        Error m_error;
    };
};

template <>
class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() : m_ok(true), m_error(Errno::INVAL) {}
    ErrorOr(Error e) : m_ok(false), m_error(e) {}
    ErrorOr(Errno e) : ErrorOr(Error(e)) {}
    bool is_error() const { return !m_ok; }
    explicit operator bool() const { return m_ok; }
    Error error() const { return m_error; }
    void release_value() {}

private:
    bool m_ok;
    Error m_error;
};

}  // namespace rt

// TRY for ordinary functions (a GCC statement expression). Inside coroutines use CO_TRY
// (kernel/async/co_try.hpp): statement expressions containing co_return are broken in GCC.
#define TRY(expr)                                        \
    ({                                                   \
        auto&& _try_result = (expr);                     \
        if (_try_result.is_error()) return _try_result.error(); \
        _try_result.release_value();                     \
    })
