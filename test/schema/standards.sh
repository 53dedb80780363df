#!/usr/bin/env bash
# Checks tessera's import validation and its ODCS/ODPS/DCS/JSON Schema exports with ajv (see
# standards.mjs): the official schemas of third_party/standards, the examples of test/fixtures/standards.
#   test/schema/standards.sh [TESSERA_BINARY]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-${TESSERA_BINARY:-$root/build/tessera}}"
if [[ ! -d "$here/node_modules/ajv" || ! -d "$here/node_modules/yaml" ]]; then
  echo "installing test/schema/node_modules (npm ci)"
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-standards.XXXXXX")"
trap 'rm -rf "$work"' EXIT
node "$here/standards.mjs" --tessera "$bin" --schemas "$root/third_party/standards" --fixtures "$root/test/fixtures/standards" --examples "$root/examples/ecommerce" --work "$work"
