#!/usr/bin/env bash
# Checks reports of `tessera check` with tools outside Tessera:
#   check_report.sh sarif FILE   validates FILE against the SARIF 2.1.0 JSON schema (Ajv)
#   check_report.sh junit FILE   checks FILE is well-formed XML with the JUnit structure (xmllint)
# Installs its node_modules on first use (npm ci). Prints "ok: …" or the errors and exits 1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$1" in
  sarif)
    if [[ ! -d "$here/node_modules/ajv" || ! -d "$here/node_modules/@microsoft/jest-sarif" ]]; then
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error --ignore-scripts >/dev/null
    fi
    node "$here/validate_sarif.mjs" "$2"
    ;;
  junit)
    xmllint --noout "$2"
    # The structure CI tools read: <testsuites> of <testsuite> of <testcase name classname>.
    xmllint --xpath 'count(/testsuites/testsuite/testcase[@name and @classname])' "$2" >/dev/null
    tests=$(xmllint --xpath 'string(/testsuites/@tests)' "$2")
    cases=$(xmllint --xpath 'count(/testsuites/testsuite/testcase)' "$2")
    failures=$(xmllint --xpath 'string(/testsuites/@failures)' "$2")
    failing=$(xmllint --xpath 'count(/testsuites/testsuite/testcase/failure)' "$2")
    [[ "$tests" == "$cases" && "$failures" == "$failing" ]] || { echo "junit: counts disagree ($tests tests, $cases cases, $failures failures, $failing failing)"; exit 1; }
    echo "ok: $2 is JUnit XML ($cases test cases, $failing failing)"
    ;;
  *) echo "usage: check_report.sh sarif|junit FILE" >&2; exit 2 ;;
esac
