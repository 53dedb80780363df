# The built-in pack (installed by init workspace) over a passing and a failing product, and the
# reports CI tools read: SARIF 2.1.0 validated against its JSON schema, JUnit XML.
run init workspace shop
cp "$CASE_DIR/fixtures/good_product.yaml" "$CASE_DIR/fixtures/bad_product.yaml" domains/shop/
expect 0 apply .
expect 0 check
expect 0 check --policy pii_masked --policy names_lower_snake_case --json
expect 3 check --policy no_such_rule
expect 2 check --format yaml
expect 0 check --format sarif -o report.sarif
bash "$CASE_DIR/tools/check_report.sh" sarif report.sarif
expect 7 check --format sarif -o no_such_folder/report.sarif
[ ! -e no_such_folder ] || fail "a failed report left files behind"
expect 0 check --format junit -o report.xml
bash "$CASE_DIR/tools/check_report.sh" junit report.xml
# Enforcing the naming rule makes the same check fail (exit 5) and JUnit report the failure.
sed -i 's/^  state: warn$/  state: enforce/' policies/names_lower_snake_case.yaml
expect 0 apply policies
expect 5 check --domain shop --policy names_lower_snake_case
expect 5 check --format junit -o report.xml --no-record
bash "$CASE_DIR/tools/check_report.sh" junit report.xml
grep -c '<failure' report.xml
