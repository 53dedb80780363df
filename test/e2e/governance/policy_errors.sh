# A policy whose SQL is wrong is reported at its file:line:col with DuckDB's message; one that
# runs too long is stopped; policy SQL reads nothing but the metadata tables.
run init workspace shop
expect 0 apply .
cp "$CASE_DIR/fixtures/broken_policy.yaml" "$CASE_DIR/fixtures/slow_policy.yaml" "$CASE_DIR/fixtures/not_a_select.yaml" .
expect 2 validate broken_policy.yaml
expect 7 validate slow_policy.yaml
expect 6 validate not_a_select.yaml
[ ! -e /tmp/tessera-policy-escape.csv ] || fail "a policy wrote a file"
# apply evaluates a policy before it lands: a broken one never reaches the catalog, and check stays clean.
expect 2 apply broken_policy.yaml
expect 0 check
