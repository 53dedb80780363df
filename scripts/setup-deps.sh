#!/usr/bin/env bash
# Installs what Tessera needs to build and test, and nothing twice.
#
#   scripts/setup-deps.sh            # Debian packages + DuckDB into the cache
#   TESSERA_CACHE=/somewhere ...     # choose the cache (default: ${XDG_CACHE_HOME:-$HOME/.cache}/tessera)
#
# Idempotent: packages already installed are not touched, `apt-get update` runs at most once,
# and DuckDB is fetched only when its cache folder lacks the verified library and header.
set -euo pipefail

DUCKDB_VERSION=1.4.4
DUCKDB_BINDINGS="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
DUCKDB_BINDINGS_SHA512="jBTL/WvfwxLToFa/pVHfT6elMtltJGnc3wSuxZD9OfMltit9YUdVFS37vBFQzXMT1Z8OWjtSjMh+zPKxOwHLHA=="
DUCKDB_SOURCE="duckdb@1.4.4"
DUCKDB_SOURCE_SHA512="hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=="

CACHE="${TESSERA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera}"
DUCKDB_DIR="$CACHE/duckdb-$DUCKDB_VERSION"

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libyaml-cpp-dev nlohmann-json3-dev libcpp-httplib-dev libcli11-dev
  libsqlite3-dev sqlite3 libssl-dev libpq-dev postgresql
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  python3 python3-yaml time libxml2-utils faketime
  curl jq wrk nginx-light
  chromium fonts-dejavu-core
)

log() { [ -n "${TESSERA_QUIET:-}" ] || echo "setup-deps: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Node.js may come from elsewhere (NodeSource ships npm inside its nodejs package): only ask
  # Debian for npm when there is no npm at all.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all present"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  if [ ! -f /tmp/.tessera-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.tessera-apt-updated; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm pack writes <name>-<version>.tgz; check its sha512 against the pinned value before unpacking.
fetch_verified() {
  local spec="$1" want="$2" dest="$3"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  local got; got=$(openssl dgst -sha512 -binary "$tgz" | openssl base64 -A)
  if [ "$got" != "$want" ]; then
    echo "setup-deps: integrity check failed for $spec (sha512 $got, expected $want)" >&2
    rm -rf "$tmp"; exit 1
  fi
  mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest"
  rm -rf "$tmp"
}

install_duckdb() {
  if [ -f "$DUCKDB_DIR/lib/libduckdb.so" ] && [ -f "$DUCKDB_DIR/include/duckdb.h" ] && [ -f "$DUCKDB_DIR/.verified" ]; then
    log "DuckDB $DUCKDB_VERSION: cached in $DUCKDB_DIR"
    return
  fi
  log "fetching DuckDB $DUCKDB_VERSION into $DUCKDB_DIR"
  local work="$DUCKDB_DIR.partial"
  rm -rf "$work"; mkdir -p "$work/lib" "$work/include"
  fetch_verified "$DUCKDB_BINDINGS" "$DUCKDB_BINDINGS_SHA512" "$work/bindings"
  fetch_verified "$DUCKDB_SOURCE" "$DUCKDB_SOURCE_SHA512" "$work/source"
  cp "$work/bindings/package/libduckdb.so" "$work/lib/"
  cp "$work/source/package/src/duckdb/src/include/duckdb.h" "$work/include/"
  rm -rf "$work/bindings" "$work/source"
  touch "$work/.verified"
  rm -rf "$DUCKDB_DIR"; mv "$work" "$DUCKDB_DIR"   # the cache folder appears whole or not at all
}

# npm packages of the tests, each folder pinned by its package-lock.json: JSON Schema validation
# of descriptors (test/schema) and of SARIF reports (test/e2e/governance/tools).
install_npm_test_deps() {
  local root dir; root="$(cd "$(dirname "$0")/.." && pwd)"
  for dir in "$root/test/schema" "$root/test/e2e/governance/tools"; do
    if [ -d "$dir/node_modules/ajv" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      log "npm test packages of ${dir#$root/}: present"
      continue
    fi
    log "installing npm test packages into $dir/node_modules"
    (cd "$dir" && npm ci --silent --no-audit --no-fund --cache "$CACHE/npm" >/dev/null)
  done
}

# The OpenAPI linter of the server tests (@redocly/cli), pinned by test/api/package-lock.json.
install_npm_api_deps() {
  local dir; dir="$(cd "$(dirname "$0")/.." && pwd)/test/api"
  if [ -x "$dir/node_modules/.bin/redocly" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    log "npm API test packages: present"
    return
  fi
  log "installing npm API test packages into $dir/node_modules"
  (cd "$dir" && npm ci --silent --no-audit --no-fund --cache "$CACHE/npm" >/dev/null)
}

# The web catalog's packages (web/: preact, htm, dagre, esbuild; bundled into the binary at build
# time) and its browser tests' (test/web/: playwright-core, axe-core), each pinned by its lockfile.
install_npm_web_deps() {
  local root dir; root="$(cd "$(dirname "$0")/.." && pwd)"
  for dir in "$root/web" "$root/test/web"; do
    if [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
      log "npm packages of ${dir#$root/}: present"
      continue
    fi
    log "installing npm packages into $dir/node_modules"
    (cd "$dir" && npm ci --silent --no-audit --no-fund --cache "$CACHE/npm" >/dev/null)
  done
}

install_packages
install_duckdb
install_npm_test_deps
install_npm_api_deps
install_npm_web_deps
log "ready (DuckDB in $DUCKDB_DIR)"
