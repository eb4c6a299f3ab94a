# shellcheck shell=bash
# Sourced, not run: a private apt state for Debian's riscv64 binary archive, derived from the
# machine's own Debian entry (its lists, status and sources stay untouched). Used by
# linux-baseline (the kernel) and fetch-debian-userland.sh (libc6, coreutils, bash...).
#   debian_archive_open WORK SUITES   state under WORK, first of SUITES whose indices load;
#                                     sets debian_suite and exports APT_CONFIG
. "$(dirname "${BASH_SOURCE[0]}")/apt-sources.sh"

debian_archive_open() {
    local work=$1 suites=$2 uri s
    uri=$(debian_uri)
    [ -n "$uri" ] || { echo "no bookworm entry in $machine_sources to derive the archive from" >&2; return 1; }
    mkdir -p "$work"/{parts,lists/partial,archives/partial}

    # apt reads only this file: the machine's apt.conf.d has update hooks that act on its own
    # package state. Its Acquire settings (proxies, date checks) are carried over.
    { apt-config dump Acquire
      cat <<EOF
Dir::Etc::Parts "$work/parts";
Dir::Etc::Main "/dev/null";
Dir::Etc::SourceList "$work/riptide.list";
Dir::Etc::SourceParts "$work/parts";
Dir::State "$work";
Dir::State::Lists "$work/lists";
Dir::State::status "/dev/null";
Dir::Cache "$work";
Dir::Cache::Archives "$work/archives";
APT::Architecture "riscv64";
APT::Architectures { "riscv64"; };
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
    } > "$work/apt.conf"
    export APT_CONFIG=$work/apt.conf

    debian_suite=""
    for s in $suites; do
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main" \
            > "$work/riptide.list"
        rm -rf "$work/lists"; mkdir -p "$work/lists/partial"
        if apt-get -qq update >"$work/update.log" 2>&1; then debian_suite=$s; return 0; fi
    done
    cat "$work/update.log" >&2
    echo "no usable suite among: $suites" >&2
    return 1
}
