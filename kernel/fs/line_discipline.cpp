#include "line_discipline.hpp"

namespace rt {
namespace {

bool is_control(uint8_t c) { return c < 32 || c == 127; }
bool is_word_char(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

}  // namespace

void LineDiscipline::set_termios(const Termios& t) {
    bool was_canonical = canonical();
    bool had_ixon = m_termios.iflag & kIxon;
    m_termios = t;
    if (was_canonical != canonical()) {
        for (auto& word : m_delimiters) word = 0;
        m_literal_next = false;
        if (!canonical() || m_head == m_tail) {
            m_canon_head = m_tail;
        } else {
            set_delimiter(m_head - 1, true);
            m_canon_head = m_head;
        }
    }
    if (had_ixon && !(t.iflag & kIxon)) m_stopped = false;  // nothing could start it again
}

LineDiscipline::Signal LineDiscipline::receive(uint8_t c) {
    const uint32_t iflag = m_termios.iflag;
    if (iflag & kIstrip) c &= 0x7f;
    if (m_literal_next) {
        // The byte after VLNEXT is data whatever it is; its echo replaces the "^" shown.
        m_literal_next = false;
        if (queued() < kBufferSize - 1) {  // the last place is kept for the line's end
            if (lflag(kEcho)) {
                if (lflag(kEchoctl)) output('\b');
                echo(c);
            }
            put(c, false);
        }
        flush_output();
        return Signal::None;
    }
    if (iflag & kIxon) {
        if (is_char(c, kVstart)) {
            m_stopped = false;
            return Signal::None;
        }
        if (is_char(c, kVstop)) {
            m_stopped = true;
            return Signal::None;
        }
    }
    if (lflag(kIsig)) {
        Signal s = is_char(c, kVintr) ? Signal::Interrupt
                   : is_char(c, kVquit) ? Signal::Quit
                   : is_char(c, kVsusp) ? Signal::Suspend
                                        : Signal::None;
        if (s != Signal::None) {
            if (!lflag(kNoflsh)) flush_input();
            if (iflag & kIxon) m_stopped = false;
            if (lflag(kEcho)) echo(c);
            flush_output();
            return s;
        }
    }
    if (m_stopped && (iflag & kIxon) && (iflag & kIxany)) m_stopped = false;
    if (c == '\r') {
        if (iflag & kIgncr) return Signal::None;
        if (iflag & kIcrnl) c = '\n';
    } else if (c == '\n' && (iflag & kInlcr)) {
        c = '\r';
    }
    if (canonical()) {
        bool line_empty = m_head == m_canon_head;
        if (is_char(c, kVerase) || is_char(c, kVkill) || (is_char(c, kVwerase) && lflag(kIexten))) {
            erase(c);
        } else if (is_char(c, kVlnext) && lflag(kIexten)) {
            m_literal_next = true;
            if (lflag(kEcho) && lflag(kEchoctl)) {
                if (line_empty) echo_line_start();
                output('^');
            }
        } else if (is_char(c, kVreprint) && lflag(kEcho) && lflag(kIexten)) {
            reprint();
        } else if (c == '\n') {
            if (lflag(kEcho) || lflag(kEchonl)) output('\n');
            end_line('\n');
        } else if (is_char(c, kVeof)) {
            end_line(kDisabledChar);  // a marker no reader receives: the line ends here
        } else if (is_char(c, kVeol) || (is_char(c, kVeol2) && lflag(kIexten))) {
            if (lflag(kEcho)) {
                if (line_empty) echo_line_start();
                echo(c);
            }
            end_line(c);
        } else {
            if (queued() < kBufferSize - 1) {  // the last place is kept for the line's end
                if (lflag(kEcho)) {
                    if (line_empty) echo_line_start();
                    echo(c);
                }
                put(c, false);
            }
        }
        flush_output();
        return Signal::None;
    }
    if (queued() < kBufferSize) {
        if (lflag(kEcho)) {
            if (c == '\n') output('\n');
            else echo(c);
        }
        put(c, false);
    }
    flush_output();
    return Signal::None;
}

size_t LineDiscipline::readable_bytes() const {
    if (!canonical()) return queued();
    size_t n = 0;
    for (size_t i = m_tail; i != m_canon_head; ++i)
        if (at(i) != kDisabledChar || !is_delimiter(i)) ++n;  // end-of-file markers are no data
    return n;
}

size_t LineDiscipline::take(char* out, size_t n, bool& line_end) {
    line_end = false;
    size_t got = 0;
    size_t end = canonical() ? m_canon_head : m_head;
    while (got < n && m_tail != end) {
        size_t i = m_tail++;
        uint8_t c = at(i);
        if (canonical() && is_delimiter(i)) {
            set_delimiter(i, false);
            line_end = true;
            if (c != kDisabledChar) out[got++] = static_cast<char>(c);
            break;
        }
        set_delimiter(i, false);
        out[got++] = static_cast<char>(c);
    }
    if (m_canon_head < m_tail) m_canon_head = m_tail;
    return got;
}

void LineDiscipline::flush_input() {
    m_tail = m_canon_head = m_head;
    for (auto& word : m_delimiters) word = 0;
    m_literal_next = false;
}

void LineDiscipline::write(const char* bytes, size_t n) {
    for (size_t i = 0; i < n; ++i) output(static_cast<uint8_t>(bytes[i]));
    flush_output();
}

void LineDiscipline::send_raw(uint8_t c) {
    flush_output();
    char b = static_cast<char>(c);
    m_send(&b, 1);
}

bool LineDiscipline::is_delimiter(size_t index) const {
    size_t bit = index % kBufferSize;
    return m_delimiters[bit / 64] >> (bit % 64) & 1;
}

void LineDiscipline::set_delimiter(size_t index, bool on) {
    size_t bit = index % kBufferSize;
    uint64_t mask = uint64_t{1} << (bit % 64);
    m_delimiters[bit / 64] = on ? m_delimiters[bit / 64] | mask : m_delimiters[bit / 64] & ~mask;
}

bool LineDiscipline::put(uint8_t c, bool delimiter) {
    if (queued() >= kBufferSize) return false;
    m_buffer[m_head % kBufferSize] = c;
    set_delimiter(m_head, delimiter);
    ++m_head;
    return true;
}

void LineDiscipline::end_line(uint8_t c) {
    if (put(c, true)) m_canon_head = m_head;
}

void LineDiscipline::erase(uint8_t c) {
    enum class Kind { Char, Word, Line };
    if (m_head == m_canon_head) return;
    Kind kind = is_char(c, kVerase) ? Kind::Char : is_char(c, kVwerase) ? Kind::Word : Kind::Line;
    if (kind == Kind::Line) {
        if (!lflag(kEcho)) {
            m_head = m_canon_head;
            return;
        }
        // Without ECHOKE (and ECHOE) the line is not rubbed out: the kill character shows
        // instead, and a newline after it under ECHOK.
        if (!lflag(kEchok) || !lflag(kEchoke) || !lflag(kEchoe)) {
            m_head = m_canon_head;
            echo(c);
            if (lflag(kEchok)) output('\n');
            return;
        }
    }
    bool seen_word = false;
    while (m_head != m_canon_head) {
        // One character: under IUTF8 its continuation bytes go with it.
        size_t start = m_head - 1;
        while (continuation(at(start)) && start != m_canon_head) --start;
        uint8_t last = at(start);
        if (continuation(last)) break;  // no lead byte: nothing erased by halves
        // A word erase takes the non-word characters at the end, then the word before them.
        if (kind == Kind::Word) {
            if (is_word_char(last)) seen_word = true;
            else if (seen_word) break;
        }
        m_head = start;
        if (lflag(kEcho)) {
            if (kind == Kind::Char && !lflag(kEchoe)) {
                echo(c);
            } else if (last == '\t') {
                for (unsigned n = 8 - (column_of(m_head) & 7); n; --n) output('\b');
            } else if (!is_control(last) || lflag(kEchoctl)) {
                // "^X" takes two columns to rub out; without ECHOCTL a control char took none.
                for (int width = is_control(last) ? 2 : 1; width; --width) {
                    output('\b');
                    output(' ');
                    output('\b');
                }
            }
        }
        if (kind == Kind::Char) break;
    }
}

unsigned LineDiscipline::column_of(size_t index) const {
    unsigned col = m_canon_column;
    for (size_t i = m_canon_head; i != index; ++i) {
        uint8_t c = at(i);
        if (c == '\t') col = (col | 7) + 1;
        else if (!is_control(c)) col += continuation(c) ? 0 : 1;
        else if (lflag(kEchoctl)) col += 2;
    }
    return col;
}

void LineDiscipline::reprint() {
    echo(m_termios.cc[kVreprint]);
    output('\n');
    echo_line_start();
    for (size_t i = m_canon_head; i != m_head; ++i) echo(at(i));
}

void LineDiscipline::echo(uint8_t c) {
    if (lflag(kEchoctl) && is_control(c) && c != '\t') {
        output('^');
        output(c ^ 0100);
    } else {
        output(c);
    }
}

void LineDiscipline::echo_line_start() { m_canon_column = m_column; }

void LineDiscipline::output(uint8_t c) {
    auto append = [this](uint8_t b) {
        m_out[m_out_len++] = static_cast<char>(b);
        if (m_out_len == sizeof m_out) flush_output();
    };
    const uint32_t oflag = m_termios.oflag;
    if (!(oflag & kOpost)) {
        append(c);
        return;
    }
    switch (c) {
    case '\n':
        if (oflag & kOnlret) m_column = 0;
        if (oflag & kOnlcr) {
            append('\r');
            m_column = 0;
        }
        break;
    case '\r':
        if ((oflag & kOnocr) && m_column == 0) return;
        if (oflag & kOcrnl) {
            if (oflag & kOnlret) m_column = 0;
            c = '\n';
        } else {
            m_column = 0;
        }
        break;
    case '\t': m_column = (m_column | 7) + 1; break;
    case '\b':
        if (m_column) --m_column;
        break;
    default:
        if (!is_control(c) && !continuation(c)) ++m_column;
    }
    append(c);
}

void LineDiscipline::flush_output() {
    if (m_out_len) m_send(m_out, m_out_len);
    m_out_len = 0;
}

}  // namespace rt
