#!/usr/bin/env bash
# Runs one end-to-end case: test/e2e/<area>/<name>.sh, in a fresh temporary folder, with
# `tessera` on PATH being the built binary. When <name>.out exists, the case's output (stdout and
# stderr together) must equal it, after the temporary folder is written as $WORK and times as
# <time>. Refresh goldens with:  UPDATE_GOLDEN=1 ctest --test-dir build -L e2e   (then review the diff)
set -euo pipefail
case_script="$1"
binary="$2"
golden="${case_script%.sh}.out"
export SOURCE_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
export CASE_DIR="$(cd "$(dirname "$case_script")" && pwd)"
WORK="$(mktemp -d /tmp/tessera-e2e.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin"
ln -s "$binary" "$WORK/bin/tessera"
export PATH="$WORK/bin:$PATH"
# Pinned: the user, and the day governance takes as today (goldens print it). The wall clock
# is free: test/e2e/year_ahead.sh replays the cases with it a year ahead.
export TESSERA_HOME="$WORK/.tessera" TESSERA_USER=e2e TESSERA_LOG=warn TESSERA_TODAY=2026-11-26
unset TESSERA_SERVER
export WORK
cd "$WORK"
set +e
bash "$SOURCE_DIR/test/e2e/lib.sh" "$case_script" >"$WORK/actual.raw" 2>&1
status=$?
set -e
sed -e '/^libfaketime: /d' -e "s#$WORK#\$WORK#g" -e "s#$SOURCE_DIR#\$SOURCE#g" \
    -e 's#[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\} [0-9]\{2\}:[0-9]\{2\}:[0-9]\{2\}Z#<time>#g' \
    "$WORK/actual.raw" >"$WORK/actual.out"
if [ "$status" -ne 0 ]; then
    cat "$WORK/actual.out"
    echo "e2e case $(basename "$case_script") failed with exit code $status" >&2
    exit 1
fi
if [ -f "$golden" ] || [ -n "${UPDATE_GOLDEN:-}" ]; then
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        cp "$WORK/actual.out" "$golden"
        echo "updated $golden"
    elif ! diff -u "$golden" "$WORK/actual.out"; then
        echo "output differs from $golden (refresh with UPDATE_GOLDEN=1 after review)" >&2
        exit 1
    fi
fi
