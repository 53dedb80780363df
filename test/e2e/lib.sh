#!/usr/bin/env bash
# Helpers for e2e cases, then the case itself.
#   run ARGS…      prints "$ tessera ARGS", runs it, prints its output and "[exit N]" when N != 0
#   expect N ARGS… like run, and fails the case unless the exit code is N
#   fail MESSAGE   fails the case
set -uo pipefail

run() {
    echo "\$ tessera $*"
    local rc=0
    tessera "$@" || rc=$?
    [ "$rc" -eq 0 ] || echo "[exit $rc]"
    return 0
}

expect() {
    local want="$1"; shift
    echo "\$ tessera $*"
    local rc=0
    tessera "$@" || rc=$?
    [ "$rc" -eq 0 ] || echo "[exit $rc]"
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL: expected exit $want, got $rc: tessera $*" >&2
        exit 1
    fi
}

fail() { echo "FAIL: $*" >&2; exit 1; }

set -e
source "$1"
