#!/usr/bin/env bash
# Lints docs/openapi.json with Redocly's recommended rules (test/api/redocly.yaml); the CLI is
# pinned by test/api/package-lock.json and installed by scripts/setup-deps.sh. Errors and
# warnings both fail: the document is a contract.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cli="$here/node_modules/.bin/redocly"
if [ ! -x "$cli" ]; then
    echo "test/api: @redocly/cli is not installed: run scripts/setup-deps.sh" >&2
    exit 1
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
out="$(cd "$here" && "$cli" lint --config "$here/redocly.yaml" "$here/../../docs/openapi.json" 2>&1)"
rc=$?
echo "$out" | grep -v "^ *║\|^ *╔\|^ *╚"
if [ $rc -ne 0 ] || echo "$out" | grep -qi "warning[s]* *$\|with [0-9]* warning"; then
    echo "test/api: docs/openapi.json has lint problems (see above)" >&2
    exit 1
fi
