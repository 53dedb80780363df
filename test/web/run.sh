#!/usr/bin/env bash
# The web catalog in a real browser: playwright-core drives Debian's chromium headless against
# `tessera serve` over a demo catalog (test/web/catalog.test.mjs; docs/web.md).
#   bash test/web/run.sh build/tessera
#   UPDATE_SCREENSHOTS=1 bash test/web/run.sh build/tessera    # refresh docs/screenshots/*.png
# A missing browser fails the test with the reason (make test installs it through scripts/setup-deps.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(readlink -f "$1")"
chromium="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$chromium" ]; then
    echo "web test: chromium is not installed: run scripts/setup-deps.sh" >&2
    exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
    echo "web test: test/web/node_modules is missing: run scripts/setup-deps.sh" >&2
    exit 1
fi
export TESSERA_BIN="$binary" CHROMIUM="$chromium" SOURCE_DIR="$(cd "$here/../.." && pwd)"
exec node --test --test-reporter=spec "$here/catalog.test.mjs"
