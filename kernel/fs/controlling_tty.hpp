#pragma once
// Controlling terminals and job control (credentials(7), tty_ioctl(4)): a session has at most
// one controlling terminal, which its leader acquires; every process of the session refers to
// it (Process::ctty) and only its foreground process group may read it (or write it under
// TOSTOP, or change its settings) without being stopped.
#include "kernel/lib/error_or.hpp"

namespace rt {

struct Process;
struct Thread;
class Tty;

// Sends `sig` (from the kernel) to every live process of group `pgrp`. g_process_lock held.
void signal_group_locked(int pgrp, int sig);

// Linux's tty_check_change: a caller whose controlling terminal `tty` is, and whose group is
// not the foreground one, is stopped with `sig` (SIGTTIN, SIGTTOU): its group is signalled and
// the call ends with RESTARTSYS, to run again once it continues. EIO if the group is orphaned,
// or if `sig` is SIGTTIN and the caller ignores or blocks it (an ignored or blocked SIGTTOU
// lets the call go on). Other callers go on.
ErrorOr<void> check_foreground(Thread& caller, Tty& tty, int sig);

// Opening `tty` (readable: the file opened may read): a session leader with no controlling
// terminal acquires it if no session has it, unless `noctty` (O_NOCTTY).
void acquire_on_open(Process& opener, Tty& tty, bool readable, bool noctty);
// TIOCSCTTY: the caller, a session leader without one, makes `tty` its controlling terminal;
// `steal` (arg 1, privileged only) takes it from the session that has it.
ErrorOr<void> make_controlling(Process& caller, Tty& tty, bool readable, bool steal);
// TIOCNOTTY: the caller gives up its controlling terminal `tty` (ENOTTY if it is not that).
// A session leader gives it up for its whole session, as when it exits.
ErrorOr<void> give_up_controlling(Process& caller, Tty& tty);
// A process ends: if it leads a session with a controlling terminal, the terminal loses the
// session and its foreground group is sent SIGHUP.
void session_leader_exits(Process& p);

}  // namespace rt
