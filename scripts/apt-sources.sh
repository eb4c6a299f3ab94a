# shellcheck shell=bash
# Sourced, not run: where the machine's own Debian archive lives. Package hosts are never named
# in this repository; every apt source a script needs is derived from the machine's entry.
machine_sources=/etc/apt/sources.list.d/debian.sources

# The first URI of the machine's entry that carries the main bookworm suite, and the security one.
debian_uri() {
    awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' "$machine_sources"
}
security_uri() {
    awk '/^URIs:/ {u=$2} /^Suites:/ && /bookworm-security/ {print u; exit}' "$machine_sources"
}
