/* Started by glibc_exec and glibc_files through execve: checks the argv and environment it was
 * given against what its first argument says to expect. "args" mode: argv[2..] must be "one"
 * "two"; "script" mode: started through a #! line; "fds" mode: descriptor argv[2] must be
 * closed (it was close-on-exec) and argv[3] open; "leader" mode: its thread id is its process id
 * (it was exec'd by a thread other than the first). Exits 0 when everything matched. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
    if (argc >= 4 && strcmp(argv[1], "args") == 0)
        return strcmp(argv[2], "one") || strcmp(argv[3], "two") || !getenv("MARK") || strcmp(getenv("MARK"), "set");
    /* #!/bin/exec_target script-arg  =>  exec_target script-arg /bin/script.sh extra */
    if (argc == 4 && strcmp(argv[1], "script-arg") == 0)
        return strcmp(argv[2], "/bin/script.sh") || strcmp(argv[3], "extra");
    if (argc == 2 && strcmp(argv[1], "leader") == 0) return gettid() != getpid();
    if (argc == 4 && strcmp(argv[1], "fds") == 0)
        return fcntl(atoi(argv[2]), F_GETFD) != -1 || fcntl(atoi(argv[3]), F_GETFD) == -1;
    return 3;
}
