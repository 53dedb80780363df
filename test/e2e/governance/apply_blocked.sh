# An enforced rule blocks apply with every violation listed; nothing is written. A warned rule
# only reports.
run init workspace shop
cp "$CASE_DIR/fixtures/good_product.yaml" domains/shop/
sed -i 's/^  state: warn$/  state: enforce/' policies/columns_described.yaml policies/timestamps_end_in_at.yaml
expect 0 apply .
cp "$CASE_DIR/fixtures/bad_product.yaml" domains/shop/
expect 5 validate .
expect 5 plan .
expect 5 apply . -m "add sloppy"
expect 5 apply . --json
expect 3 describe shop.sloppy
expect 0 history shop.tidy
# Fixing the enforced violations lets it through; the warnings stay.
sed -i -e 's/{name: OrderId, type: VARCHAR, classification: pii}/{name: OrderId, type: VARCHAR, classification: pii, description: Legacy order key.}/' \
       -e 's/name: created,/name: created_at,/' domains/shop/bad_product.yaml
expect 0 apply . -m "add sloppy, documented"
expect 0 get products
