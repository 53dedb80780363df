# Waivers exempt one product from one rule until their expiry date, then stop by themselves.
run init workspace shop
sed -i 's/^  state: warn$/  state: enforce/' policies/columns_described.yaml
expect 0 apply policies domains
cp "$CASE_DIR/fixtures/bad_product.yaml" domains/shop/
expect 5 apply .
export TESSERA_TODAY=2027-01-10
expect 2 waiver add columns_described shop.sloppy --reason "legacy feed" --expires 2026-12-31
expect 2 waiver add columns_described shop.sloppy --reason "legacy feed" --expires 2029-01-01
expect 3 waiver add no_such_policy shop.sloppy --reason "legacy feed" --expires 2027-02-01
# The product is not in the catalog yet: a waiver names an existing product.
expect 3 waiver add columns_described shop.sloppy --reason "legacy feed" --expires 2027-02-01
sed -i 's/^  state: enforce$/  state: warn/' policies/columns_described.yaml
expect 0 apply . -m "sloppy while columns_described warns"
sed -i 's/^  state: warn$/  state: enforce/' policies/columns_described.yaml
expect 5 apply .
expect 0 waiver add columns_described shop.sloppy --reason "legacy feed, documented by March" --expires 2027-02-01
expect 0 apply . -m "enforce columns_described; sloppy waived"
expect 0 check --policy columns_described
expect 0 waiver list
TESSERA_TODAY=2027-02-01 expect 0 check --policy columns_described
TESSERA_TODAY=2027-02-02 expect 5 check --policy columns_described
TESSERA_TODAY=2027-02-02 expect 0 waiver list --all
expect 0 waiver revoke 1
expect 5 waiver revoke 1
expect 3 waiver revoke 9
expect 5 check --policy columns_described
