#!/usr/bin/env bash
# Every e2e case again, with the wall clock a year ahead (libfaketime, Debian package faketime):
# no case may depend on the day it runs. Goldens still apply: the day governance takes as today is
# pinned by run_case.sh (TESSERA_TODAY), and times are written as <time>.
#   bash test/e2e/year_ahead.sh BINARY
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(readlink -f "$1")"
lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
[ -n "$lib" ] || { echo "year_ahead: libfaketime not found (package faketime; run scripts/setup-deps.sh)" >&2; exit 1; }
failed=()
for case_script in "$here"/*/*.sh; do
    name="${case_script#"$here"/}"
    case "$name" in */slow_*) continue ;; esac
    if LD_PRELOAD="$lib" FAKETIME="+365d" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_DISABLE_SHM=1 \
        bash "$here/run_case.sh" "$case_script" "$binary" >"${TMPDIR:-/tmp}/year_ahead.$$.log" 2>&1; then
        echo "ok      $name"
    else
        echo "FAILED  $name"; sed 's/^/    /' "${TMPDIR:-/tmp}/year_ahead.$$.log" | tail -40
        failed+=("$name")
    fi
done
rm -f "${TMPDIR:-/tmp}/year_ahead.$$.log"
[ ${#failed[@]} -eq 0 ] || { echo "year_ahead: ${#failed[@]} case(s) depend on the day: ${failed[*]}" >&2; exit 1; }
