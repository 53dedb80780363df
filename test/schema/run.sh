#!/usr/bin/env bash
# Schema test: docs/schema/tessera-v1.schema.json accepts the `tessera init` templates,
# examples/ecommerce and test/schema/valid, rejects test/schema/invalid, and `tessera validate`
# agrees on every one of them.
#
#   test/schema/run.sh [--differential] [TESSERA_BINARY]   (default: $TESSERA_BINARY, else build/tessera)
#
# --differential also mutates the valid samples thousands of ways and checks that the schema and
# `tessera validate` agree on each mutant (slow: a few minutes; see differential.mjs).
#
# Needs node >= 18 and test/schema/node_modules (`npm ci --prefix test/schema`; run.sh runs it
# when node_modules is missing). Exits non-zero and names each failing file on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
differential=0
if [[ "${1:-}" == "--differential" ]]; then
  differential=1
  shift
fi
bin="${1:-${TESSERA_BINARY:-$root/build/tessera}}"

if [[ ! -d "$here/node_modules/ajv" || ! -d "$here/node_modules/yaml" ]]; then
  echo "installing test/schema/node_modules (npm ci)"
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >/dev/null
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-schema.XXXXXX")"
trap 'rm -rf "$work"' EXIT

args=(--schema "$root/docs/schema/tessera-v1.schema.json")
if [[ -x "$bin" ]]; then
  args+=(--tessera "$bin")
  # The templates, as `tessera init` writes them: the default workspace, and a named one with a
  # product owned by another team.
  "$bin" --quiet init workspace --dir "$work/default"
  "$bin" --quiet init product example.orders --dir "$work/default"
  "$bin" --quiet init workspace shop --dir "$work/named"
  "$bin" --quiet init product shop.order_lines --dir "$work/named"
  args+=(--valid "$work/default" --valid "$work/named")
else
  echo "FAIL: no tessera binary at $bin: the templates cannot be checked (pass the binary as \$1)" >&2
  exit 1
fi
args+=(--valid "$root/examples/ecommerce" --valid "$here/valid" --invalid "$here/invalid")

cd "$root"
node "$here/check.mjs" "${args[@]}"
if (( differential )); then
  node "$here/differential.mjs" --tessera "$bin" "$here/valid/mesh.yaml" "$here/valid/edge_cases.yaml" \
    "$here/valid/products/order_facts.yaml" "$here/valid/products/order_facts_public.yaml" \
    "$work/named/domains/shop/products/order_lines.yaml"
fi
