# `impact` names the consumers with grants: the users who hold an active grant on the
# product a change touches (they query it themselves), and only while the grant is active.
cp -r "$SOURCE_DIR/examples/ecommerce" mesh
rm -rf mesh/data
tessera apply mesh -q
tessera impact users.customers.email | tail -1
[ "$(tessera impact users.customers.email | tail -1)" = "consumers with grants: none" ] || fail "no grant yet, but impact names someone"
expect 0 role grant e2e admin -q
expect 0 role grant ann owner --domain users -q
expect 0 access request users.customers --reason "churn study" --as carl -q
expect 0 access approve 1 --as ann -q
tessera impact users.customers.email | tail -1
[ "$(tessera impact users.customers.email | tail -1)" = "consumers with grants: carl" ] || fail "impact does not name carl, who holds a grant"
tessera impact users.customers --json | grep -q '"carl"' || fail "--json lacks grant_holders"
expect 0 access revoke 1 --as ann -q
[ "$(tessera impact users.customers.email | tail -1)" = "consumers with grants: none" ] || fail "a revoked grant is still named"
