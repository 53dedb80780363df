# A domain developer's path: init, validate, plan, apply, change, history, diff, delete.
run init workspace orders
run init product orders.returns
run init product orders.refunds --owner orders_team
expect 0 validate domains
expect 0 plan domains
expect 0 apply domains -m "first products"
expect 0 get domains
expect 0 get teams
expect 0 get products --domain orders
expect 0 describe orders.returns
expect 0 describe orders
expect 0 describe team/orders_team
# Change a column's type and add one: plan shows the fields, apply records a revision. The
# narrowed type is a breaking change: it comes with a new major version (0.2.0 after 0.1.0).
sed -i 's/type: BIGINT, required: true, unique: true/type: INTEGER, required: true, unique: true/' domains/orders/products/returns.yaml
sed -i 's/^  version: 0.1.0/  version: 0.2.0/' domains/orders/products/returns.yaml
sed -i 's/^      quality:/        - {name: reason, type: VARCHAR, description: Why the customer sent it back.}\n      quality:/' domains/orders/products/returns.yaml
expect 0 plan domains
expect 0 apply domains -m "returns get reasons"
expect 0 apply domains
expect 0 history orders.returns
expect 0 diff orders.returns 1
expect 0 describe orders.returns --revision 1 --yaml
# A stale expected revision is a conflict; nothing is written.
sed -i 's/^  version: 0.1.0/  version: 0.2.0/' domains/orders/products/refunds.yaml
expect 4 apply domains --expect-revision 1
expect 0 apply domains --expect-revision 2 --json
# Deleting what others depend on is refused; single products go.
expect 5 delete orders
expect 5 delete team/orders_team
expect 0 delete orders.refunds -m "refunds move to payments"
expect 3 describe orders.refunds
expect 3 describe orders.retuns
expect 0 history orders.refunds
expect 0 get products
expect 3 describe orders.returns --revision 99
