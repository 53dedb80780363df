#!/usr/bin/env bash
# Checks tessera's import validation and its ODCS/ODPS/DCS/JSON Schema exports with ajv (see
# standards.mjs). Needs ../shared/fixtures beside the clone; exits 77 (skipped) without it.
#   test/schema/standards.sh [TESSERA_BINARY]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-${TESSERA_BINARY:-$root/build/tessera}}"
fixtures="$root/../shared/fixtures"
if [[ ! -d "$fixtures" ]]; then
  echo "SKIPPED: the standards' fixtures are not at $fixtures (../shared/fixtures beside the clone)"
  exit 77
fi
if [[ ! -d "$here/node_modules/ajv" || ! -d "$here/node_modules/yaml" ]]; then
  echo "installing test/schema/node_modules (npm ci)"
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-standards.XXXXXX")"
trap 'rm -rf "$work"' EXIT
node "$here/standards.mjs" --tessera "$bin" --fixtures "$(cd "$fixtures" && pwd)" --examples "$root/examples/ecommerce" --work "$work"
